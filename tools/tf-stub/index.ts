// tools/tf-stub: stand-in ("stub") Terraform providers so real Terraform can init / validate / plan /
// apply our synthesized JSON fully offline (docs/terraform-stubs.md).
//
// Stable API (used by `npm run validate` and by rehearsal / e2e code):
//
//   prepareStubProviders({ dir }: { dir: string }): { env, cliConfigFile, mirrorDir }
//     Writes into `dir` (the caller creates and removes it; reuse one dir for many inits) an unpacked
//     filesystem mirror with a launcher per stub provider (kubernetes 3.2.1, vault 4.8.0, cloudflare
//     4.52.0, kubectl 1.14.0), a plugin cache dir and a CLI config that installs only from the mirror.
//     Run terraform with `env` merged into the environment (TF_CLI_CONFIG_FILE, CHECKPOINT_DISABLE=1,
//     TF_IN_AUTOMATION=1). Needs dist/tf-stub-plugin.js (`npm run build`).
//   TF_STUB_DATA_KEYS=<file>: JSON { "<data type>.<attr>": ["key" | "<index>", ...] } the data sources'
//     computed maps / lists must hold, plus "<data type>.<attr>.json": [keys passed to jsondecode()] and
//     `<data type>.<attr>.json["<key>"]`: [JSON arrays of the access paths applied to the decoded value];
//     scanDataKeys / writeDataKeys derive it from a configuration.
//   validateConfig(name, config, workDir, env): init + validate + plan -refresh=false, with diagnostics.
//
// Adding a provider: one entry in STUB_PROVIDERS (providers.ts) plus its sensitive attributes.
export { prepareStubProviders, terraformPlatform, type StubInstallation } from './install';
export { STUB_PROVIDERS, SENSITIVE, ensureSchemaFile, type StubProviderSpec } from './providers';
export { scanDataKeys, writeDataKeys, type DataKeys } from './data-keys';
export {
  validateConfig,
  formatResult,
  pool,
  requireTerraform,
  withoutBackend,
  type ValidateResult,
  type TfDiagnostic,
} from './validate';
export type { StubProviderSchema, StubBlock, StubAttribute, StubBlockType, CtyType } from './schema';
