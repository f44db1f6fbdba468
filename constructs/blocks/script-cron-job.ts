// A CronJob that runs one first-party payload script (payloads/<file>) from a ConfigMap: the same file
// the tests execute is read at synth and mounted at /scripts, so what runs in the cluster is what was tested.
import type { Construct } from 'constructs';
import { ConfigMap } from '@cdktf/provider-kubernetes/lib/config-map';
import { named } from '../../lib/terraform/addresses';
import { readScript } from '../../lib/core/paths';
import { terraformLiteral } from '../../lib/terraform/tf-literal';
import { Duration } from '../../lib/core/units';
import { type ContainerResources } from '../../lib/conventions/resources';
import { nonEmptyString } from '../../lib/validation/validate';
import { CronJob, type CronJobProps, type SecretKeyRef, Volume, workloadAddressName } from './workload';

/** Where the script ConfigMap is mounted. */
export const SCRIPTS_DIR = '/scripts';

export interface ScriptCronJobProps extends Omit<
  CronJobProps,
  'containers' | 'volumes' | 'initContainers' | 'restartPolicy'
> {
  /** Payload file under payloads/ (e.g. "forgejo-retention.sh"). */
  readonly script: string;
  /** ConfigMap key and file name under /scripts. @default `script` */
  readonly scriptKey?: string;
  /** Container name. @default "job" */
  readonly containerName?: string;
  /** Image with a POSIX shell. */
  readonly image: string;
  /** Variables in order. @default none */
  readonly env?: Readonly<Record<string, string | SecretKeyRef>>;
  /** @default no resources block */
  readonly resources?: ContainerResources;
  /** ConfigMap name. @default "<name>-script" */
  readonly configMapName?: string;
  /** Terraform name of the ConfigMap. @default "<address name>_script" */
  readonly configMapAddressName?: string;
}

/**
 * The payload's ConfigMap (`kubernetes_config_map.<address>_script`) and a CronJob
 * (`kubernetes_cron_job_v1.<address>`) running `/bin/sh /scripts/<key>`: Forbid, 3 + 3 history,
 * backoff 1, finished jobs kept 1h, OnFailure (each overridable).
 */
export class ScriptCronJob extends CronJob {
  readonly configMap: ConfigMap;

  constructor(scope: Construct, id: string, props: ScriptCronJobProps) {
    const key = nonEmptyString(`${scope.node.path}/${id}`, 'scriptKey', props.scriptKey ?? props.script);
    const address = workloadAddressName(scope, id, props.addressName);
    const configMap = named(scope, ConfigMap, props.configMapAddressName ?? `${address}_script`, {
      metadata: { name: props.configMapName ?? `${props.name}-script`, namespace: props.namespace.name },
      data: { [key]: terraformLiteral(readScript(props.script)) },
    });
    const scripts = Volume.fromConfigMap('scripts', configMap.metadata.name, { defaultMode: '0755' });
    super(scope, id, {
      failedJobsHistoryLimit: 3,
      successfulJobsHistoryLimit: 3,
      backoffLimit: 1,
      ttlAfterFinished: Duration.hours(1),
      ...props,
      restartPolicy: 'OnFailure',
      containers: [
        {
          name: props.containerName ?? 'job',
          image: props.image,
          command: ['/bin/sh', `${SCRIPTS_DIR}/${key}`],
          env: props.env,
          volumeMounts: [{ volume: scripts, mountPath: SCRIPTS_DIR }],
          resources: props.resources,
        },
      ],
      volumes: [scripts],
    });
    this.configMap = configMap;
  }
}
