// The stack registry: every stack of the app, one file each. The name of a stack is its state key.
import type { StackDefinition } from '../lib/stack';
import tts from './tts';

export const STACKS: readonly StackDefinition[] = [tts];
