import { describe, expect, it } from 'vitest';
import { GRAFANA_DATASOURCE_LABEL, grafanaPostgresDatasource } from '../../../lib/conventions/grafana';
import { yamlencode } from '../../../lib/terraform/yaml';

describe('grafanaPostgresDatasource', () => {
  it("renders the tree's provisioning document: one proxied Postgres datasource, password from the env", () => {
    const doc = grafanaPostgresDatasource({
      name: 'App',
      uid: 'app-pg',
      user: 'app',
      database: 'app_db',
      host: 'db.example',
      passwordEnv: 'APP_PG_PASSWORD',
    });
    expect(yamlencode(doc)).toBe(
      [
        '"apiVersion": 1',
        '"datasources":',
        '- "access": "proxy"',
        '  "editable": true',
        '  "jsonData":',
        '    "database": "app_db"',
        '    "postgresVersion": 1600',
        '    "sslmode": "disable"',
        '    "timescaledb": false',
        '  "name": "App"',
        '  "secureJsonData":',
        '    "password": "$__env{APP_PG_PASSWORD}"',
        '  "type": "postgres"',
        '  "uid": "app-pg"',
        '  "url": "db.example:5432"',
        '  "user": "app"',
        '',
      ].join('\n'),
    );
    expect(GRAFANA_DATASOURCE_LABEL).toEqual({ grafana_datasource: '1' });
  });
});
