// Grafana datasource provisioning documents the tree's app stacks put in a labelled ConfigMap of the
// monitoring namespace (the Grafana sidecar loads every ConfigMap labelled grafana_datasource=1).

export interface PostgresDatasource {
  /** Name shown in Grafana. */
  readonly name: string;
  readonly uid: string;
  readonly user: string;
  readonly database: string;
  /** PostgreSQL host; port 5432. */
  readonly host: string;
  /** Environment variable of the Grafana pod that holds the password (`$__env{...}`). */
  readonly passwordEnv: string;
}

/** The label that makes the Grafana sidecar load a ConfigMap as datasources. */
export const GRAFANA_DATASOURCE_LABEL = { grafana_datasource: '1' };

/**
 * A provisioning document with one Postgres datasource, as the tree's `yamlencode({...})` object (pass it
 * to `yamlencode` from lib/terraform/yaml). The password is never in it: Grafana expands `$__env{...}`.
 */
export function grafanaPostgresDatasource(ds: PostgresDatasource) {
  return {
    apiVersion: 1,
    datasources: [
      {
        name: ds.name,
        type: 'postgres',
        access: 'proxy',
        url: `${ds.host}:5432`,
        user: ds.user,
        uid: ds.uid,
        // Grafana's Postgres plugin takes the database from jsonData only
        jsonData: { database: ds.database, sslmode: 'disable', postgresVersion: 1600, timescaledb: false },
        secureJsonData: { password: `$__env{${ds.passwordEnv}}` },
        editable: true,
      },
    ],
  };
}
