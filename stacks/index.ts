// The stack registry: every stack of the app, one file each. The name of a stack is its state key.
// Keep both lists sorted by stack name.
import type { StackDefinition } from '../lib/synth/stack';
import ac from './ac';
import anisette from './anisette';
import blog from './blog';
import changedetection from './changedetection';
import chesscomStreak from './chesscom-streak';
import cityGuesser from './city-guesser';
import companyAcmeCorp from './company-acme-corp';
import companyGlobex from './company-globex';
import cyberchef from './cyberchef';
import diun from './diun';
import excalidraw from './excalidraw';
import forgejo from './forgejo';
import freshrss from './freshrss';
import hackmd from './hackmd';
import interviewPrepApp from './interview-prep-app';
import isponsorblocktv from './isponsorblocktv';
import nixfleet from './nixfleet';
import sreToolbox from './sre-toolbox';
import stem95su from './stem95su';
import t3code from './t3code';
import tts from './tts';

// prettier-ignore
export const STACKS: readonly StackDefinition[] = [
  ac,
  anisette,
  blog,
  changedetection,
  chesscomStreak,
  cityGuesser,
  companyAcmeCorp,
  companyGlobex,
  cyberchef,
  diun,
  excalidraw,
  forgejo,
  freshrss,
  hackmd,
  interviewPrepApp,
  isponsorblocktv,
  nixfleet,
  sreToolbox,
  stem95su,
  t3code,
  tts,
];
