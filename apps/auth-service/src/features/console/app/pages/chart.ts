import type { UserStats } from '@libs/database/postgress/repositories';
import { h, s } from '../dom';

export type { UserStats };

/** Users by status as an inline SVG bar chart (no chart library), with the figures as text too. */
export function statsChart(stats: UserStats): HTMLElement {
  const entries = Object.entries(stats.byStatus);
  const max = Math.max(1, ...entries.map(([, n]) => n));
  const rowHeight = 26;
  const width = 320;
  const labelWidth = 80;
  const bars = entries.map(([status, n], i) => {
    const y = i * rowHeight;
    const barWidth = Math.round(((width - labelWidth - 40) * n) / max);
    return s(
      'g',
      {},
      s('text', { x: 0, y: y + 17 }, status),
      s('rect', { class: `bar ${status}`, x: labelWidth, y: y + 4, width: Math.max(barWidth, n > 0 ? 2 : 0), height: rowHeight - 8, rx: 3 }),
      s('text', { x: labelWidth + barWidth + 6, y: y + 17 }, String(n)),
    );
  });
  const svg = s('svg', { class: 'chart', role: 'img', 'aria-labelledby': 'stats-title', viewBox: `0 0 ${width} ${entries.length * rowHeight}`, width: '100%', height: entries.length * rowHeight }, s('title', { id: 'stats-title' }, 'Users by status'), bars);
  return h(
    'section',
    { 'aria-label': 'User statistics' },
    h('h2', {}, 'Users by status'),
    h(
      'div',
      { class: 'cards' },
      h('div', { class: 'card' }, h('div', { class: 'muted' }, 'Total'), h('div', { class: 'value' }, String(stats.total))),
      h('div', { class: 'card' }, h('div', { class: 'muted' }, `New (${stats.newUsersDays} days)`), h('div', { class: 'value' }, String(stats.newUsers))),
      h('div', { class: 'card' }, h('div', { class: 'muted' }, 'Soft-deleted'), h('div', { class: 'value' }, String(stats.deleted))),
    ),
    svg,
  );
}
