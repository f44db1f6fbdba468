// The stack registry: every stack of the app, one file each. The name of a stack is its state key.
import type { StackDefinition } from '../lib/stack';
import companyAcmeCorp from './company-acme-corp';
import companyGlobex from './company-globex';

export const STACKS: readonly StackDefinition[] = [companyAcmeCorp, companyGlobex];
