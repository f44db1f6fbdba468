// Entry point for the cdktf CLI (`cdktf synth|list|diff|deploy`): builds the App from the registry.
// Token creation stacks off (lib/synth/token-traces.ts) unless SYNTH_DEBUG is set, as in `npm run synth`.
// `cdktf diff|deploy` of a pg stack without PG_CONN_STR stops here, naming the variable
// (lib/synth/credentials.ts); synth and list need no credentials.
import { buildApp } from './lib/synth/app';
import { cdktfInvocation, missingBackendCredentials } from './lib/synth/credentials';
import { isTier0 } from './lib/terraform/backends';
import { withoutTokenTraces } from './lib/synth/token-traces';
import { STACKS } from './stacks';

const stacks = STACKS.map((d) => ({ name: d.name, tier0: isTier0(d.name) }));
const missing = missingBackendCredentials(stacks, cdktfInvocation(), process.env);
if (missing) {
  process.stderr.write(`${missing}\n`);
  process.exit(1);
}
withoutTokenTraces(() => buildApp(STACKS).app.synth(), !!process.env.SYNTH_DEBUG);
