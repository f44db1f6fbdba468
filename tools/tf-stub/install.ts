// prepareStubProviders: installs the stub providers for a Terraform run, fully offline.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureSchemaFile, repoRoot, STUB_PROVIDERS } from './providers';

export interface StubInstallation {
  /** Environment for every terraform command (TF_CLI_CONFIG_FILE, CHECKPOINT_DISABLE, TF_IN_AUTOMATION). */
  env: Record<string, string>;
  /** The generated CLI configuration: filesystem mirror only, plugin cache in `dir`. */
  cliConfigFile: string;
  /** The unpacked filesystem mirror holding one launcher per stub provider. */
  mirrorDir: string;
}

/** go-plugin's platform directory name for this machine. */
export function terraformPlatform(): string {
  const arch = { x64: 'amd64', arm64: 'arm64', ia32: '386' }[process.arch as string] ?? process.arch;
  return `${process.platform}_${arch}`;
}

/**
 * Writes, under `dir` (created if needed; the caller owns and removes it): `mirror/` (unpacked layout,
 * registry.terraform.io/<ns>/<type>/<version>/<os_arch>/terraform-provider-<type>_v<version>, each an
 * executable launcher running node on dist/tf-stub-plugin.js), `plugin-cache/` and `terraformrc`.
 * Reuse one dir across many inits: the mirror and plugin cache are shared. Needs dist/ built
 * (`npm run build`); derives missing schema caches (node_modules/.cache/tf-stub/, ~2 s once).
 */
export function prepareStubProviders({ dir }: { dir: string }): StubInstallation {
  const root = repoRoot();
  const plugin = path.join(root, 'dist', 'tf-stub-plugin.js');
  if (!fs.existsSync(plugin)) throw new Error(`tf-stub: ${plugin} is missing: run npm run build`);
  const mirrorDir = path.join(dir, 'mirror');
  const cacheDir = path.join(dir, 'plugin-cache');
  fs.mkdirSync(cacheDir, { recursive: true });
  for (const spec of STUB_PROVIDERS) {
    const schema = ensureSchemaFile(spec);
    const [ns, type] = spec.source.split('/');
    const bin = path.join(mirrorDir, 'registry.terraform.io', ns!, type!, spec.version, terraformPlatform());
    fs.mkdirSync(bin, { recursive: true });
    const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    const launcher = `#!/bin/sh\nTF_STUB_SCHEMA=${q(schema)} exec ${q(process.execPath)} ${q(plugin)} ${q(spec.name)} "$@"\n`;
    const file = path.join(bin, `terraform-provider-${type}_v${spec.version}`);
    if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== launcher)
      fs.writeFileSync(file, launcher, { mode: 0o755 });
  }
  const cliConfigFile = path.join(dir, 'terraformrc');
  const hcl = (s: string) => JSON.stringify(s);
  fs.writeFileSync(
    cliConfigFile,
    [
      `plugin_cache_dir = ${hcl(cacheDir)}`,
      'disable_checkpoint = true',
      'provider_installation {',
      `  filesystem_mirror {`,
      `    path    = ${hcl(mirrorDir)}`,
      '    include = ["*/*/*"]',
      '  }',
      '}',
      '',
    ].join('\n'),
  );
  return {
    env: { TF_CLI_CONFIG_FILE: cliConfigFile, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' },
    cliConfigFile,
    mirrorDir,
  };
}
