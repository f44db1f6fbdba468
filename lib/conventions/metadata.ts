// Label and annotation maps the tree writes out by hand in many stacks, each defined once.

/**
 * The gethomepage.dev tile annotations an ingress passes as `extraAnnotations`, with the keys and order of
 * the tree's `extra_annotations` blocks: enabled, name, description (the tree's check-ingress-descriptions
 * guard requires one), icon (file or `mdi-*`), group, and the pod-selector (default empty: no pod status
 * lookup; a label selector such as `app=x` shows the pods' status on the tile).
 */
export function homepage(
  name: string,
  description: string,
  icon: string,
  group: string,
  podSelector = '',
): Record<string, string> {
  return {
    'gethomepage.dev/enabled': 'true',
    'gethomepage.dev/name': name,
    'gethomepage.dev/description': description,
    'gethomepage.dev/icon': icon,
    'gethomepage.dev/group': group,
    'gethomepage.dev/pod-selector': podSelector,
  };
}

/** Prometheus pod/service scrape annotations (`prometheus.io/scrape|path|port`). */
export function prometheusScrape(port: number, path = '/metrics'): Record<string, string> {
  return { 'prometheus.io/scrape': 'true', 'prometheus.io/path': path, 'prometheus.io/port': String(port) };
}

/**
 * Deployment labels enrolling a workload in Sablier scale-to-zero (ADR-0022). Pair them with an ingress
 * `sablier: { group }` and `Ignore.replicas` (Sablier owns the replica count). `readyAfter` is the settling
 * delay after readiness, covering Traefik's endpoint propagation so the first request never races a 503.
 */
export function sablierLabels(group: string, readyAfter = '5s'): Record<string, string> {
  return { 'sablier.enable': 'true', 'sablier.group': group, 'sablier.ready-after': readyAfter };
}

/**
 * Stakater Reloader annotation: `auto` restarts on any referenced ConfigMap/Secret change, `search` only on
 * those annotated `reloader.stakater.com/match`.
 */
export function reloader(mode: 'auto' | 'search'): Record<string, string> {
  return { [`reloader.stakater.com/${mode}`]: 'true' };
}
