import { describe, expect, it } from 'vitest';
import { homepage, prometheusScrape, reloader, sablierLabels } from '../../../lib/conventions/metadata';

describe('metadata maps', () => {
  it('homepage() gives the tree extra_annotations tile, keys in the tree order', () => {
    const tile = homepage('CyberChef', 'Data transformation toolkit', 'cyberchef.png', 'Development & CI');
    expect(Object.entries(tile)).toEqual([
      ['gethomepage.dev/enabled', 'true'],
      ['gethomepage.dev/name', 'CyberChef'],
      ['gethomepage.dev/description', 'Data transformation toolkit'],
      ['gethomepage.dev/icon', 'cyberchef.png'],
      ['gethomepage.dev/group', 'Development & CI'],
      ['gethomepage.dev/pod-selector', ''],
    ]);
  });

  it('prometheusScrape(), sablierLabels() and reloader()', () => {
    expect(prometheusScrape(9113)).toEqual({
      'prometheus.io/scrape': 'true',
      'prometheus.io/path': '/metrics',
      'prometheus.io/port': '9113',
    });
    expect(prometheusScrape(8080, '/stats')['prometheus.io/path']).toBe('/stats');
    expect(sablierLabels('cyberchef')).toEqual({
      'sablier.enable': 'true',
      'sablier.group': 'cyberchef',
      'sablier.ready-after': '5s',
    });
    expect(reloader('search')).toEqual({ 'reloader.stakater.com/search': 'true' });
    expect(reloader('auto')).toEqual({ 'reloader.stakater.com/auto': 'true' });
  });
});
