// Container requests/limits: one shape and one check for every construct that takes them.
// The tree requests cpu + memory and limits memory only (no CPU limits: throttling hurt more than it
// helped); GPUs are time-slices of the shared T4, asked for as an `nvidia.com/gpu` limit.
import type { IConstruct } from 'constructs';
import { type Quantity, quantityString } from '../core/units';
import { integerInRange, quantity, requestWithinLimit } from '../validation/validate';

/** Extended resource name of a GPU time-slice. */
export const GPU_RESOURCE = 'nvidia.com/gpu';
/** Extended resource name of the cluster's per-container GPU memory budget, in MiB (ADR-0016). */
export const GPU_MEMORY_RESOURCE = 'viktorbarzin.me/gpumem';

/**
 * Requests and limits of one container. Each field is a Kubernetes quantity ("10m", "64Mi") or a `Size`;
 * unset fields are not rendered (the tree omits them).
 */
export interface ContainerResources {
  /** `requests.cpu`, e.g. "10m". @default not set */
  readonly cpuRequest?: string;
  /** `limits.cpu`. @default not set (the tree does not limit CPU) */
  readonly cpuLimit?: string;
  /** `requests.memory`, e.g. "64Mi" or `Size.mebibytes(64)`. @default not set */
  readonly memoryRequest?: Quantity;
  /** `limits.memory`, at least the request. @default not set */
  readonly memoryLimit?: Quantity;
  /** GPU time-slices (`limits["nvidia.com/gpu"]`). @default none */
  readonly gpu?: number;
  /** GPU memory budget in MiB (`limits["viktorbarzin.me/gpumem"]`), with `gpu`. @default none */
  readonly gpuMemoryMiB?: number;
  /** `requests.ephemeral-storage` (node disk for emptyDir and the writable layer). @default not set */
  readonly ephemeralStorageRequest?: Quantity;
  /** `limits.ephemeral-storage`, at least the request. @default not set */
  readonly ephemeralStorageLimit?: Quantity;
}

/** Resources as the Kubernetes bindings take them: `requests` cpu, memory; `limits` memory, cpu, gpu. */
export interface RenderedResources {
  requests?: Record<string, string>;
  limits?: Record<string, string>;
}

/**
 * Validates every quantity, request <= limit for cpu and memory and the GPU count, and renders the
 * resources in the tree's key order (absent sections stay absent).
 */
export function containerResources(
  scope: IConstruct | string,
  prop: string,
  r: ContainerResources,
): RenderedResources {
  const str = (k: keyof ContainerResources) => {
    const v = r[k] as Quantity | undefined;
    return v === undefined ? undefined : quantity(scope, `${prop}.${k}`, quantityString(v));
  };
  const cpuRequest = str('cpuRequest');
  const cpuLimit = str('cpuLimit');
  const memoryRequest = str('memoryRequest');
  const memoryLimit = str('memoryLimit');
  requestWithinLimit(scope, `${prop}.cpu`, cpuRequest, cpuLimit);
  requestWithinLimit(scope, `${prop}.memory`, memoryRequest, memoryLimit);
  const ephemeralRequest = str('ephemeralStorageRequest');
  const ephemeralLimit = str('ephemeralStorageLimit');
  requestWithinLimit(scope, `${prop}.ephemeralStorage`, ephemeralRequest, ephemeralLimit);
  const gpu = r.gpu === undefined ? undefined : integerInRange(scope, `${prop}.gpu`, r.gpu, 1, 16);
  const gpuMemory =
    r.gpuMemoryMiB === undefined
      ? undefined
      : integerInRange(scope, `${prop}.gpuMemoryMiB`, r.gpuMemoryMiB, 1, 1048576);
  const requests: Record<string, string> = {};
  if (cpuRequest !== undefined) requests.cpu = cpuRequest;
  if (memoryRequest !== undefined) requests.memory = memoryRequest;
  if (ephemeralRequest !== undefined) requests['ephemeral-storage'] = ephemeralRequest;
  const limits: Record<string, string> = {};
  if (memoryLimit !== undefined) limits.memory = memoryLimit;
  if (cpuLimit !== undefined) limits.cpu = cpuLimit;
  if (ephemeralLimit !== undefined) limits['ephemeral-storage'] = ephemeralLimit;
  if (gpu !== undefined) limits[GPU_RESOURCE] = String(gpu);
  if (gpuMemory !== undefined) limits[GPU_MEMORY_RESOURCE] = String(gpuMemory);
  return {
    ...(Object.keys(requests).length ? { requests } : {}),
    ...(Object.keys(limits).length ? { limits } : {}),
  };
}

/**
 * The tree's most common shape: a CPU request and memory request = limit (the container never uses
 * more memory than it reserved, so the scheduler's accounting holds). `fixedMemory('10m', Size.mebibytes(64))`.
 */
export function fixedMemory(cpuRequest: string, memory: Quantity): ContainerResources {
  return { cpuRequest, memoryRequest: memory, memoryLimit: memory };
}
