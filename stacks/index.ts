// The stack registry: every stack of the app, one file each. The name of a stack is its state key.
// Keep both lists sorted by stack name.
import type { StackDefinition } from '../lib/synth/stack';
import ac from './ac';
import anisette from './anisette';
import blog from './blog';
import changedetection from './changedetection';
import chesscomStreak from './chesscom-streak';
import ciPipelineHealth from './ci-pipeline-health';
import cityGuesser from './city-guesser';
import companyAcmeCorp from './company-acme-corp';
import companyGlobex from './company-globex';
import cyberchef from './cyberchef';
import dashy from './dashy';
import diun from './diun';
import excalidraw from './excalidraw';
import forgejo from './forgejo';
import freshrss from './freshrss';
import hackmd from './hackmd';
import insta2spotify from './insta2spotify';
import interviewPrepApp from './interview-prep-app';
import isponsorblocktv from './isponsorblocktv';
import learning from './learning';
import localPath from './local-path';
import navidrome from './navidrome';
import networkingToolbox from './networking-toolbox';
import nixfleet from './nixfleet';
import novelapp from './novelapp';
import ntfy from './ntfy';
import offlineReader from './offline-reader';
import paperlessMcp from './paperless-mcp';
import platform from './platform';
import poisonFountain from './poison-fountain';
import priorityPass from './priority-pass';
import privatebin from './privatebin';
import sablier from './sablier';
import send from './send';
import shadowsocks from './shadowsocks';
import sreToolbox from './sre-toolbox';
import stem95su from './stem95su';
import stirlingPdf from './stirling-pdf';
import t3code from './t3code';
import trek from './trek';
import tts from './tts';
import vpa from './vpa';
import vpnPortal from './vpn-portal';
import whisper from './whisper';

// prettier-ignore
export const STACKS: readonly StackDefinition[] = [
  ac,
  anisette,
  blog,
  changedetection,
  chesscomStreak,
  ciPipelineHealth,
  cityGuesser,
  companyAcmeCorp,
  companyGlobex,
  cyberchef,
  dashy,
  diun,
  excalidraw,
  forgejo,
  freshrss,
  hackmd,
  insta2spotify,
  interviewPrepApp,
  isponsorblocktv,
  learning,
  localPath,
  navidrome,
  networkingToolbox,
  nixfleet,
  novelapp,
  ntfy,
  offlineReader,
  paperlessMcp,
  platform,
  poisonFountain,
  priorityPass,
  privatebin,
  sablier,
  send,
  shadowsocks,
  sreToolbox,
  stem95su,
  stirlingPdf,
  t3code,
  trek,
  tts,
  vpa,
  vpnPortal,
  whisper,
];
