// Entry point for the cdktf CLI (`cdktf synth|list|diff|deploy`): builds the App from the registry.
// Token creation stacks off (lib/synth/token-traces.ts) unless SYNTH_DEBUG is set, as in `npm run synth`.
import { buildApp } from './lib/synth/app';
import { withoutTokenTraces } from './lib/synth/token-traces';
import { STACKS } from './stacks';

withoutTokenTraces(() => buildApp(STACKS).app.synth(), !!process.env.SYNTH_DEBUG);
