import { CompanyVm } from '../constructs/patterns/company-vm';
import { defineStack } from '../lib/synth/stack';
import { companyProps } from './companies';

// A company environment: the entry in stacks/companies.ts says profile and port block.
export default defineStack({
  name: 'company-acme-corp',
  description: 'Acme Corp RAVE environment (KubeVirt VM, development profile)',
  after: ['platform', 'vault', 'external-secrets'],
  build(stack) {
    new CompanyVm(stack, 'acme-corp', companyProps(stack, 'acme-corp'));
  },
});
