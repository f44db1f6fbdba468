// The app bundle's inline requires (tools/lazy-imports.mjs): a one-stack synth loads the provider bindings
// of what that stack declares and no others, and writes what the sources synthesize.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { measureProcess } from '../../lib/tooling/bench-process';
import { readSynthOutput } from '../../lib/synth/synth-output';
import { stripMeta } from '../../lib/terraform/tf-json';
import blog from '../../stacks/blog';
import chesscomStreak from '../../stacks/chesscom-streak';
import type { StackDefinition } from '../../lib/synth/stack';
import { distCli, tempDir } from '../support/fakes';
import { bindingExports } from '../../tools/lazy-imports.mjs';
import { type Json, synthDefinition } from '../support/synth';

const tmp = tempDir('lazy-imports-');
afterAll(() => tmp.cleanup());

/** `kubernetes/cron-job-v1` for a loaded `.../@cdktf/provider-kubernetes/lib/cron-job-v1/...` file. */
const bindingOf = (file: string) => {
  const m = /@cdktf[\\/]provider-([a-z]+)[\\/]lib[\\/]([^\\/]+)/.exec(file);
  return m ? `${m[1]}/${m[2]}` : undefined;
};

/** The binding modules a synthesized stack needs: one per resource, data source and provider type. */
function bindingsDeclared(json: Json): Set<string> {
  const out = new Set<string>();
  const add = (type: string, data: boolean) => {
    const [provider, ...rest] = type.split('_');
    if (provider === 'kubectl') return; // our own binding (lib/terraform/kubectl.ts)
    out.add(`${provider}/${data ? `data-${type.replace(/_/g, '-')}` : rest.join('-')}`);
  };
  for (const type of Object.keys(json.resource ?? {})) add(type, false);
  for (const type of Object.keys(json.data ?? {})) add(type, true);
  for (const provider of Object.keys(json.provider ?? {}))
    if (provider !== 'kubectl') out.add(`${provider}/provider`);
  return out;
}

describe.concurrent('a one-stack synth of the bundled app', () => {
  const cases: Array<[string, StackDefinition]> = [
    ['blog (a Deployment behind Anubis)', blog],
    ['chesscom-streak (a CronJob only)', chesscomStreak],
  ];
  it.each(cases)(
    '%s loads only the bindings it declares, and writes what the sources synthesize',
    (_, def) => {
      const outdir = path.join(tmp.dir, def.name);
      const sample = measureProcess(distCli('bench-rss'), [distCli('synth'), def.name, '--outdir', outdir]);
      const written = readSynthOutput(outdir)[def.name] as Json;
      expect(stripMeta(written)).toEqual(synthDefinition(def));
      const loaded = new Set(sample.providerModules.map(bindingOf).filter((b) => b !== undefined));
      expect([...loaded].sort()).toEqual([...bindingsDeclared(written)].sort());
    },
  );
});

describe('bindingExports (the getters of a lazy binding)', () => {
  it('names exactly what each binding of the bundle exports when loaded', () => {
    // every binding the bundle's getter modules require
    const bundle = fs.readFileSync(distCli('synth'), 'utf8');
    const specs = new Set(
      [...bundle.matchAll(/require\("(@cdktf\/provider-[a-z]+\/lib\/[a-z0-9-]+)"\)/g)].map((m) => m[1]),
    );
    const entries = [...specs].map((s) => require.resolve(s));
    expect(entries.length).toBeGreaterThan(40);
    for (const file of entries) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the binding as Node loads it
      const loaded = Object.keys(require(file) as object).filter((n) => n !== '__esModule');
      expect(bindingExports(file).sort(), file).toEqual(loaded.sort());
    }
  });
});
