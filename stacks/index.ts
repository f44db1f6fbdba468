// The stack registry: every stack of the app, one file each. The name of a stack is its state key.
import type { StackDefinition } from '../lib/stack';
import nixfleet from './nixfleet';
import sreToolbox from './sre-toolbox';

export const STACKS: readonly StackDefinition[] = [nixfleet, sreToolbox];
