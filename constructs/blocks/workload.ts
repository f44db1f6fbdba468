// Workloads by intent, modelled on cdk8s-plus: a stack says which containers run, which label selects
// the pods, how Keel treats the images and whether Sablier parks the workload; the block renders the
// tree's exact Deployment / StatefulSet / DaemonSet / Job / CronJob shapes and derives the lifecycle
// ignore groups and container indexes from that intent. Parity comes first: nothing is added that the
// tree does not have (no probes, port names or protocols unless asked for).
// Each workload *is* its provider resource (no wrapper construct), so its construct path, and with it the
// synthesized output of a stack ported from hand-written resources, stays what it was.
// The classes sit one per provider resource they extend (a class needs its base binding loaded when it is
// defined; one file each keeps a one-stack synth from loading them all), the shared rendering in
// ./workload-core. This module is the one stacks import.
export {
  type Affinity,
  type ContainerPort,
  type ContainerProps,
  type ContainerSecurityContext,
  type EnvFromSecret,
  type ExposedService,
  type ExposeProps,
  type FieldRef,
  type JobProps,
  type JobTemplateProps,
  Keel,
  keelLifecycle,
  type KeelMode,
  KeelPolicy,
  type LoadBalancerProps,
  type NodeSelectorExpression,
  type PodAffinityTerm,
  Probe,
  type ProbeTiming,
  type SablierDeclaration,
  type SecretKeyRef,
  type SelectedWorkload,
  type SelectedWorkloadProps,
  type ServicePortProps,
  type Toleration,
  Volume,
  type VolumeMount,
  workloadAddressName,
  type WorkloadProps,
} from './workload-core';
export { Deployment, type DeploymentProps } from './workload-deployment';
export { StatefulSet, type StatefulSetProps } from './workload-stateful-set';
export { DaemonSet } from './workload-daemon-set';
export { Job } from './workload-job';
export { JobV1 } from './workload-job-v1';
export { CronJob, type CronJobProps } from './workload-cron-job';
