// The stack registry: every stack of the app, one file each. The name of a stack is its state key.
// Keep both lists sorted by stack name.
import type { StackDefinition } from '../lib/synth/stack';
import blog from './blog';
import companyAcmeCorp from './company-acme-corp';
import companyGlobex from './company-globex';
import cyberchef from './cyberchef';
import excalidraw from './excalidraw';
import forgejo from './forgejo';
import learning from './learning';
import networkingToolbox from './networking-toolbox';
import nixfleet from './nixfleet';
import ntfy from './ntfy';
import offlineReader from './offline-reader';
import platform from './platform';
import priorityPass from './priority-pass';
import privatebin from './privatebin';
import send from './send';
import sreToolbox from './sre-toolbox';
import stem95su from './stem95su';
import stirlingPdf from './stirling-pdf';
import t3code from './t3code';
import trek from './trek';
import tts from './tts';
import vpa from './vpa';
import vpnPortal from './vpn-portal';

// prettier-ignore
export const STACKS: readonly StackDefinition[] = [
  blog,
  companyAcmeCorp,
  companyGlobex,
  cyberchef,
  excalidraw,
  forgejo,
  learning,
  networkingToolbox,
  nixfleet,
  ntfy,
  offlineReader,
  platform,
  priorityPass,
  privatebin,
  send,
  sreToolbox,
  stem95su,
  stirlingPdf,
  t3code,
  trek,
  tts,
  vpa,
  vpnPortal,
];
