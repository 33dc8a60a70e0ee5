import { describe, expect, it } from 'vitest';
import { isMethodName } from '../../../src/api/contract';
import { MONEY_NOTE, TOOLS } from '../../../src/mcp';

// The tool catalogue a model reads: names, schemas and descriptions. These checks catch drift
// between the contract (whose schemas the tools expose) and the descriptions written here.

describe('the MCP tool catalogue', () => {
  it('offers the tools of issue 9 under unique snake_case names, each over contract methods', () => {
    const names = TOOLS.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(
      expect.arrayContaining(['budget_status', 'needs_attention', 'spend_summary', 'record_reading', 'record_usage', 'list_readings', 'sync_now', 'reconcile']),
    );
    for (const t of TOOLS) {
      expect(t.name).toMatch(/^[a-z][a-z_]{2,40}$/);
      expect(t.methods.length).toBeGreaterThan(0);
      for (const m of t.methods) expect(isMethodName(m), `${t.name} calls ${m}`).toBe(true);
    }
  });

  it('describes every input field, and describes no field the schema lacks', () => {
    for (const t of TOOLS) {
      const schema = t.inputSchema;
      expect(schema.type, t.name).toBe('object');
      // Strict: an unknown field is refused with a sentence, not silently dropped.
      expect(schema.additionalProperties, t.name).toBe(false);
      const properties = schema.properties ?? {};
      for (const [field, property] of Object.entries(properties)) {
        expect(typeof property.description, `${t.name}.${field} has no description`).toBe('string');
        expect(String(property.description).length, `${t.name}.${field}`).toBeGreaterThan(15);
      }
      for (const field of Object.keys(t.fields)) expect(properties, `${t.name} describes ${field}, which its schema lacks`).toHaveProperty(field);
    }
  });

  it('marks required fields as the contract does and shows defaults as optional', () => {
    const byName = new Map(TOOLS.map((t) => [t.name, t]));
    expect(byName.get('record_reading')!.inputSchema.required).toEqual(['provider', 'amount']);
    expect(byName.get('record_usage')!.inputSchema.required).toEqual(['provider', 'model']);
    expect(byName.get('list_readings')!.inputSchema.required).toEqual(['provider']);
    expect(byName.get('spend_summary')!.inputSchema.required ?? []).toEqual([]);
    expect(byName.get('spend_summary')!.inputSchema.properties!.groupBy).toMatchObject({ enum: ['provider', 'model', 'project', 'agent', 'day'], default: 'provider' });
    // An amount may be sent as text (exact) or as a number.
    expect(byName.get('record_reading')!.inputSchema.properties!.amount).toMatchObject({ type: ['string', 'number'] });
  });

  it('says how money is written in every tool whose answer carries amounts, and annotates reads and writes', () => {
    for (const t of TOOLS) {
      expect(t.description.length, t.name).toBeGreaterThan(120);
      if (t.money) expect(t.description, t.name).toContain(MONEY_NOTE);
      expect(typeof t.annotations.readOnlyHint, t.name).toBe('boolean');
    }
    const readOnly = TOOLS.filter((t) => t.annotations.readOnlyHint).map((t) => t.name).sort();
    expect(readOnly).toEqual(['budget_status', 'coding_agents', 'list_providers', 'list_readings', 'needs_attention', 'spend_summary']);
    expect(TOOLS.find((t) => t.name === 'sync_now')!.annotations.openWorldHint).toBe(true);
  });
});
