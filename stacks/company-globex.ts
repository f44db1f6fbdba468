import { CompanyVm } from '../constructs/patterns/company-vm';
import { defineStack } from '../lib/synth/stack';
import { companyProps } from './companies';

// A split company: dataPlane (PostgreSQL + Redis) and appsPlane VMs, see stacks/companies.ts.
export default defineStack({
  name: 'company-globex',
  description: 'Globex RAVE environment (KubeVirt, split data/apps planes)',
  after: ['platform', 'vault', 'external-secrets'],
  build(stack) {
    new CompanyVm(stack, 'globex', companyProps(stack, 'globex'));
  },
});
