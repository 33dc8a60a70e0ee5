import { z } from 'zod';

/** A tool's input schema as MCP sends it: a JSON Schema object. */
export interface JsonObjectSchema {
  type: 'object';
  properties?: Record<string, Record<string, unknown>>;
  required?: string[];
  [key: string]: unknown;
}

/**
 * The JSON Schema a model sees for a tool, made from the contract's own zod schema so the two can
 * never drift (dispatch validates with that same schema), with a description on every field: the
 * contract's schemas are terse, a model needs to know what each field means and how to fill it.
 *
 * `io: 'input'` describes what callers send (a default makes a field optional; an amount may be
 * a string or a number). Draft-07 is what the SDK's own McpServer emits, so every client reads it.
 * A field without a description is left as is here (never a failed start when another area adds a
 * field); test/unit/mcp checks that every field is described.
 */
export function describedInputSchema(schema: z.ZodType, fields: Readonly<Record<string, string>>): JsonObjectSchema {
  const json = z.toJSONSchema(schema, { io: 'input', target: 'draft-7', unrepresentable: 'any' }) as JsonObjectSchema;
  if (json.type !== 'object') throw new Error('An MCP tool input must be an object schema.');
  const properties = json.properties ?? {};
  for (const [name, property] of Object.entries(properties)) {
    const description = fields[name];
    if (description !== undefined) properties[name] = { ...property, description };
  }
  return { ...json, properties };
}
