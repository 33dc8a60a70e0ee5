import { describe, expect, it } from 'vitest';
import { METHOD_KIND } from '../../../renderer/src/api/kinds';
import { EVENT_NAMES_FOR_HTTP } from '../../../renderer/src/api/events';
import { contract, EVENT_NAMES } from '../../../src/api/contract';

describe("the renderer's copy of the contract's verbs", () => {
  it('has every method, each with the kind the contract gives it (GET for reads, POST for writes)', () => {
    expect(Object.keys(METHOD_KIND).sort()).toEqual(Object.keys(contract).sort());
    for (const [name, spec] of Object.entries(contract)) expect([name, METHOD_KIND[name as keyof typeof METHOD_KIND]]).toEqual([name, spec.kind]);
  });

  it('listens to every event the server sends', () => {
    expect([...EVENT_NAMES_FOR_HTTP].sort()).toEqual([...EVENT_NAMES].sort());
  });
});
