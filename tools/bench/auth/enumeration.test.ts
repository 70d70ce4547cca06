import { enumerationReport } from './enumeration';

describe('enumerationReport', () => {
  it('reports each gap and ours ÷ stock, and null when a side is missing', () => {
    const stock = { unknownEmailP50Ms: 100, wrongPasswordP50Ms: 102, gapMs: 2, unexpected: 0 };
    const ours = { unknownEmailP50Ms: 110, wrongPasswordP50Ms: 111, gapMs: 1, unexpected: 0 };
    const both = enumerationReport(stock, ours);
    expect(both.metrics).toMatchObject({ enumeration_gap_ms_ours: 1, enumeration_gap_ms_stock: 2, enumeration_gap_vs_stock_ratio: 0.5 });
    expect(both.rows).toEqual([expect.objectContaining({ 'gap ms': 2 }), expect.objectContaining({ 'gap ms': 1 })]);
    expect(enumerationReport(stock, null).metrics.enumeration_gap_vs_stock_ratio).toBeNull();
  });
});
