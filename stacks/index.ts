// The stack registry: every stack of the app, one file each. The name of a stack is its state key.
// Keep both lists sorted by stack name.
import type { StackDefinition } from '../lib/synth/stack';
import ac from './ac';
import affine from './affine';
import androidEmulator from './android-emulator';
import anisette from './anisette';
import beadsServer from './beads-server';
import blog from './blog';
import brokerSync from './broker-sync';
import changedetection from './changedetection';
import chesscomStreak from './chesscom-streak';
import chromeService from './chrome-service';
import ciPipelineHealth from './ci-pipeline-health';
import cityGuesser from './city-guesser';
import claudeAgentService from './claude-agent-service';
import claudeBreakglass from './claude-breakglass';
import claudeMemory from './claude-memory';
import companyAcmeCorp from './company-acme-corp';
import companyGlobex from './company-globex';
import coturn from './coturn';
import cyberchef from './cyberchef';
import dashy from './dashy';
import dawarich from './dawarich';
import diun from './diun';
import droneLogbook from './drone-logbook';
import ebook2audiobook from './ebook2audiobook';
import ebooks from './ebooks';
import excalidraw from './excalidraw';
import executor from './executor';
import f1Stream from './f1-stream';
import firePlanner from './fire-planner';
import forgejo from './forgejo';
import freshrss from './freshrss';
import frigate from './frigate';
import goldmaneEdgeAggregator from './goldmane-edge-aggregator';
import hackmd from './hackmd';
import health from './health';
import hermesAgent from './hermes-agent';
import immich from './immich';
import insta2spotify from './insta2spotify';
import interviewPrepApp from './interview-prep-app';
import isponsorblocktv from './isponsorblocktv';
import jobHunter from './job-hunter';
import k8sVersionUpgrade from './k8s-version-upgrade';
import kms from './kms';
import learn from './learn';
import learning from './learning';
import lessonHarvester from './lesson-harvester';
import llamaCpp from './llama-cpp';
import localPath from './local-path';
import matrix from './matrix';
import meshcentral from './meshcentral';
import myproteinWatch from './myprotein-watch';
import n8n from './n8n';
import navidrome from './navidrome';
import networkingToolbox from './networking-toolbox';
import nixfleet from './nixfleet';
import novelapp from './novelapp';
import ntfy from './ntfy';
import offlineReader from './offline-reader';
import osmRouting from './osm_routing';
import owntracks from './owntracks';
import pagesPublish from './pages-publish';
import paperlessAi from './paperless-ai';
import paperlessMcp from './paperless-mcp';
import paperlessNgx from './paperless-ngx';
import payslipIngest from './payslip-ingest';
import phpipam from './phpipam';
import platform from './platform';
import plottingBook from './plotting-book';
import poisonFountain from './poison-fountain';
import priorityPass from './priority-pass';
import privatebin from './privatebin';
import proxy from './proxy';
import realEstateCrawler from './real-estate-crawler';
import recruiterResponder from './recruiter-responder';
import repowise from './repowise';
import resume from './resume';
import sablier from './sablier';
import send from './send';
import shadowsocks from './shadowsocks';
import sreToolbox from './sre-toolbox';
import statusPage from './status-page';
import stem95su from './stem95su';
import stirlingPdf from './stirling-pdf';
import stremio from './stremio';
import t3Afk from './t3-afk';
import t3code from './t3code';
import tasks from './tasks';
import terminal from './terminal';
import torProxy from './tor-proxy';
import tradingBot from './trading-bot';
import trek from './trek';
import tts from './tts';
import tuyaBridge from './tuya-bridge';
import url from './url';
import valiaSites from './valia-sites';
import vpa from './vpa';
import vpnPortal from './vpn-portal';
import webhookHandler from './webhook_handler';
import whisper from './whisper';
import ytdlp from './ytdlp';

// prettier-ignore
export const STACKS: readonly StackDefinition[] = [
  ac,
  affine,
  androidEmulator,
  anisette,
  beadsServer,
  blog,
  brokerSync,
  changedetection,
  chesscomStreak,
  chromeService,
  ciPipelineHealth,
  cityGuesser,
  claudeAgentService,
  claudeBreakglass,
  claudeMemory,
  companyAcmeCorp,
  companyGlobex,
  coturn,
  cyberchef,
  dashy,
  dawarich,
  diun,
  droneLogbook,
  ebook2audiobook,
  ebooks,
  excalidraw,
  executor,
  f1Stream,
  firePlanner,
  forgejo,
  freshrss,
  frigate,
  goldmaneEdgeAggregator,
  hackmd,
  health,
  hermesAgent,
  immich,
  insta2spotify,
  interviewPrepApp,
  isponsorblocktv,
  jobHunter,
  k8sVersionUpgrade,
  kms,
  learn,
  learning,
  lessonHarvester,
  llamaCpp,
  localPath,
  matrix,
  meshcentral,
  myproteinWatch,
  n8n,
  navidrome,
  networkingToolbox,
  nixfleet,
  novelapp,
  ntfy,
  offlineReader,
  osmRouting,
  owntracks,
  pagesPublish,
  paperlessAi,
  paperlessMcp,
  paperlessNgx,
  payslipIngest,
  phpipam,
  platform,
  plottingBook,
  poisonFountain,
  priorityPass,
  privatebin,
  proxy,
  realEstateCrawler,
  recruiterResponder,
  repowise,
  resume,
  sablier,
  send,
  shadowsocks,
  sreToolbox,
  statusPage,
  stem95su,
  stirlingPdf,
  stremio,
  t3Afk,
  t3code,
  tasks,
  terminal,
  torProxy,
  tradingBot,
  trek,
  tts,
  tuyaBridge,
  url,
  valiaSites,
  vpa,
  vpnPortal,
  webhookHandler,
  whisper,
  ytdlp,
];
