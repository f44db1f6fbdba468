// The stack registry: every stack of the app, one file each. The name of a stack is its state key.
import type { StackDefinition } from '../lib/stack';
import stem95su from './stem95su';
import t3code from './t3code';

export const STACKS: readonly StackDefinition[] = [stem95su, t3code];
