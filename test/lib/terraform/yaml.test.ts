import { describe, expect, it } from 'vitest';
import { yamlencode } from '../../../lib/terraform/yaml';

// Expected strings were produced by Terraform 1.11's yamlencode() (terraform console) for the same values.
describe("yamlencode reproduces Terraform's output", () => {
  it('sorted, double-quoted keys and strings; lists at the key indentation; nested structures', () => {
    expect(
      yamlencode({
        kind: 'Middleware',
        apiVersion: 'traefik.io/v1alpha1',
        spec: {
          plugin: {
            sablier: {
              ignoreUserAgent: ['(?i)uptime-?kuma', 'Go-http-client'],
              failOpen: true,
              'a-b': 1,
              n: 5368709120,
              f: 1.5,
              x: 'say "hi" ${x}',
              e: {},
              l: [],
              nul: null,
              u: 'ünï',
              colon: 'a: b',
              t: 'true',
              num: '123',
              sp: ' lead',
              hash: '#x',
              nested: [{ a: 1, b: 'c' }, [1, 2]],
            },
          },
        },
      }),
    ).toBe(
      [
        '"apiVersion": "traefik.io/v1alpha1"',
        '"kind": "Middleware"',
        '"spec":',
        '  "plugin":',
        '    "sablier":',
        '      "a-b": 1',
        '      "colon": "a: b"',
        '      "e": {}',
        '      "f": 1.5',
        '      "failOpen": true',
        '      "hash": "#x"',
        '      "ignoreUserAgent":',
        '      - "(?i)uptime-?kuma"',
        '      - "Go-http-client"',
        '      "l": []',
        '      "n": 5368709120',
        '      "nested":',
        '      - "a": 1',
        '        "b": "c"',
        '      - - 1',
        '        - 2',
        '      "nul": null',
        '      "num": "123"',
        '      "sp": " lead"',
        '      "t": "true"',
        '      "u": "ünï"',
        '      "x": "say \\"hi\\" ${x}"',
        '',
      ].join('\n'),
    );
  });

  it('numbers: large integers without exponent, decimals as-is', () => {
    expect(yamlencode({ o: 1e20, m: 0.1, n: -3, z: 0 })).toBe(
      '"m": 0.1\n"n": -3\n"o": 100000000000000000000\n"z": 0\n',
    );
  });

  it('refuses what Terraform would render as a block scalar or fold', () => {
    expect(() => yamlencode({ a: 'x\ny' })).toThrow(/line breaks/);
    expect(() =>
      yamlencode({
        g: 'aaaaaaaaaa bbbbbbbbbb cccccccccc dddddddddd eeeeeeeeee ffffffffff gggggggggg hhhhhhhhhh',
      }),
    ).toThrow(/longer than 80/);
  });
});
