// `npm run synth [-- <stack>...] [--outdir DIR] [--list]`: synthesizes the app offline into
// cdktf.out/stacks/<stack>/cdk.tf.json (the layout `cdktf deploy` uses), one result line per stack on
// stdout, progress on stderr. Output is written to a temporary directory and swapped in only when every
// stack synthesized: an invalid app never leaves a partial cdktf.out.
import { runSynth } from '../../lib/synth/synth-run';
import { STACKS } from '../../stacks';

export { runSynth, type SynthIo } from '../../lib/synth/synth-run';

if (require.main === module) {
  // `npm run synth -- --list | head`: a reader that stops early is not a failure of the synth.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(process.exitCode ?? 0);
  });
  process.exitCode = runSynth(STACKS, process.argv.slice(2));
}
