import type { CardElement } from '../common.js';

/**
 * Card 2.0 `chart` elements (a VChart spec in `chart_spec`; no JavaScript in it). Lark shows at
 * most five charts a card; cuiban uses one per card. `media: []` is left to Lark's default
 * (it adapts the chart to phones).
 */

/** Two lines over days: 新增 and 办结 per day ('11/25'). */
export function trendChart(title: string, points: Array<{ day: string; opened: number; closed: number }>) {
  const values = points.flatMap((p) => [
    { day: p.day, series: '新增', count: p.opened },
    { day: p.day, series: '办结', count: p.closed },
  ]);
  return chartElement({
    type: 'line',
    title: { text: title },
    data: { values },
    xField: 'day',
    yField: 'count',
    seriesField: 'series',
    legends: { visible: true, orient: 'bottom' },
  });
}

/** Stacked bars per category (a department), one stack per series (红灯 / 黄灯 / 绿灯, or 得分). */
export function barChart(
  title: string,
  values: Array<{ name: string; series: string; value: number }>,
  opts: { stack?: boolean; colors?: string[] } = {},
) {
  return chartElement({
    type: 'bar',
    title: { text: title },
    data: { values },
    xField: 'name',
    yField: 'value',
    seriesField: 'series',
    ...(opts.stack ? { stack: true } : {}),
    ...(opts.colors ? { color: opts.colors } : {}),
    legends: { visible: true, orient: 'bottom' },
  });
}

function chartElement(spec: Record<string, unknown>): CardElement {
  return { tag: 'chart', aspect_ratio: '16:9', chart_spec: spec };
}
