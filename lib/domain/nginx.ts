// nginx server blocks rendered as text for ConfigMaps (mounted over /etc/nginx/conf.d/default.conf).

export interface StaticServerBlock {
  /** Port nginx listens on. */
  readonly port: number;
  /** Directory served. */
  readonly root: string;
  /** `index` directive: the files tried, in order, for a directory request ("/" included). */
  readonly indexFiles: readonly string[];
}

/**
 * A catch-all server block serving `root` as static files, with `indexFiles` as directory index.
 * The layout (column alignment, trailing newline) is the one the tree's static sites use, so the
 * ConfigMap text is byte-identical.
 */
export function staticServerBlock(block: StaticServerBlock): string {
  return [
    'server {',
    `    listen       ${block.port};`,
    '    server_name  _;',
    `    root   ${block.root};`,
    `    index  ${block.indexFiles.join(' ')};`,
    '}',
    '',
  ].join('\n');
}
