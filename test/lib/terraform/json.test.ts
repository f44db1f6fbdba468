import { describe, expect, it } from 'vitest';
import { jsonencode } from '../../../lib/terraform/json';

describe('jsonencode', () => {
  it("sorts keys at every level and writes no whitespace, as Terraform's jsonencode", () => {
    expect(jsonencode([{ name: 'b', type: 'Mysql', useSSL: false, a: { z: 1, y: [true, null] } }])).toBe(
      '[{"a":{"y":[true,null],"z":1},"name":"b","type":"Mysql","useSSL":false}]',
    );
  });
  it('escapes <, > and & as Go does, and refuses a non-finite number', () => {
    expect(jsonencode({ html: '<a href="x">&</a>' })).toBe(
      '{"html":"\\u003ca href=\\"x\\"\\u003e\\u0026\\u003c/a\\u003e"}',
    );
    expect(() => jsonencode({ n: Infinity })).toThrow(/non-finite/);
  });
});
