// prepareStubProviders: installs the stub providers for a Terraform run, fully offline.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureSchemaFile, repoRoot, STUB_PROVIDERS } from './providers';

export interface StubInstallation {
  /** Environment for every terraform command, to merge over process.env (TF_CLI_CONFIG_FILE, CHECKPOINT_DISABLE=1, TF_IN_AUTOMATION=1, TF_PLUGIN_CACHE_DIR=''). */
  env: Record<string, string>;
  /** The generated CLI configuration: installs from the filesystem mirror only. */
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
 * executable launcher running node on dist/tf-stub-plugin.js) and `terraformrc`. Reuse one dir across
 * many (also concurrent) inits: the mirror is shared, each init copies only the small launchers. Needs dist/ built
 * (`npm run build`); derives missing schema caches (node_modules/.cache/tf-stub/, ~2 s once).
 */
export function prepareStubProviders({ dir }: { dir: string }): StubInstallation {
  const root = repoRoot();
  const plugin = path.join(root, 'dist', 'tf-stub-plugin.js');
  if (!fs.existsSync(plugin)) throw new Error(`tf-stub: ${plugin} is missing: run npm run build`);
  const mirrorDir = path.join(dir, 'mirror');
  fs.mkdirSync(dir, { recursive: true });
  for (const spec of STUB_PROVIDERS) {
    const schema = ensureSchemaFile(spec);
    const [ns, type] = spec.source.split('/');
    const bin = path.join(mirrorDir, 'registry.terraform.io', ns!, type!, spec.version, terraformPlatform());
    fs.mkdirSync(bin, { recursive: true });
    const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    // NODE_EXTRA_CA_CERTS unset: Node reads that file on every start (~40 ms, and Terraform starts each
    // provider ~3 times per command), and the plugin verifies only Terraform's own client certificate.
    const launcher = `#!/bin/sh\nunset NODE_EXTRA_CA_CERTS\nTF_STUB_SCHEMA=${q(schema)} exec ${q(process.execPath)} ${q(plugin)} ${q(spec.name)} "$@"\n`;
    const file = path.join(bin, `terraform-provider-${type}_v${spec.version}`);
    if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== launcher)
      fs.writeFileSync(file, launcher, { mode: 0o755 });
  }
  const cliConfigFile = path.join(dir, 'terraformrc');
  const hcl = (s: string) => JSON.stringify(s);
  fs.writeFileSync(
    cliConfigFile,
    [
      // no plugin_cache_dir: Terraform's cache is not safe for concurrent inits, and installing a
      // launcher from the local mirror is as fast as linking it from a cache
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
    // TF_PLUGIN_CACHE_DIR empty: a cache dir from the caller's environment would race concurrent inits
    env: {
      TF_CLI_CONFIG_FILE: cliConfigFile,
      CHECKPOINT_DISABLE: '1',
      TF_IN_AUTOMATION: '1',
      TF_PLUGIN_CACHE_DIR: '',
    },
    cliConfigFile,
    mirrorDir,
  };
}
