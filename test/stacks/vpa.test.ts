// vpa is a tombstone in the tree (HEAD 0cd4afb6): VPA and Goldilocks were removed, stacks/vpa declares
// nothing but keeps its directory (the state key) and its dependency on infra. Ours declares nothing either.
import { describe, expect, it } from 'vitest';
import vpa from '../../stacks/vpa';
import { STACKS } from '../../stacks';
import { addedAddresses, addresses, missingTreeAddresses, moves, synthDefinition } from '../support/synth';

const json = synthDefinition(vpa);
const TREE_ADDRESSES: string[] = []; // main.tf holds only an unused variable and a comment

describe('stack vpa', () => {
  it('is in the registry, after infra, with pg state under schema "vpa"', () => {
    expect(STACKS).toContain(vpa);
    expect(vpa.after).toEqual(['infra']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'vpa' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('declares nothing, as the tree', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addresses(json).size).toBe(0);
    expect(moves(json).size).toBe(0);
    expect(json.data).toBeUndefined();
  });
});
