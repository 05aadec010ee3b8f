// The audits repository: an audit row, cells with their per-beat outcomes and examples, and the
// clean figures come back as stored (parsed with the contract); cells count towards cellsDone.
import { describe, it, expect } from 'vitest';
import { openStore } from '../../../src-main/store/db.ts';
import type { AuditCell, AuditExample, Provenance } from '../../../src-shared/contract/index.ts';

const provenance: Provenance = {
  models: [{ name: 'm', kind: 'kachuee', weightsSha256: 'w'.repeat(64), modelJsonSha256: 'j'.repeat(64) }],
  source: null,
  dataset: { id: 'd1', name: 'tiny', manifestHash: 'h'.repeat(64) },
  seed: 3,
  suite: [{ name: 'fgsm', params: { eps: 0.01 } }],
  backend: 'wasm',
  backendVersion: '@tensorflow/tfjs-backend-wasm@4.22.0',
  workers: 2,
  appVersion: '0.1.0',
  gitCommit: null,
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: null,
};

const cell: AuditCell = {
  model: 'm', attack: 'fgsm', label: 'fgsm', eps: 0.01, params: { eps: 0.01 }, beats: 3, cleanAccuracy: 1, robustAccuracy: 2 / 3, robustAccuracyCi95: { low: 0.2, high: 0.94 },
  attackSuccessRate: 1 / 3, perClass: { N: { precision: 1, recall: 0.5, f1: 2 / 3, support: 2 }, V: { precision: 0.5, recall: 1, f1: 2 / 3, support: 1 } }, confusion: [[1, 1], [0, 1]],
  l2: { mean: 0.1, median: 0.1, max: 0.12 }, linf: { mean: 0.01, median: 0.01, max: 0.01 }, snrDb: { mean: 30.5, median: 30, finiteBeats: 3 }, queries: null, seconds: 0.25,
  detection: { tpr: 2 / 3, fpr: 0, defendedRate: 1, undetectedMisclassified: 0 },
};

describe('audit repository', () => {
  it('round-trips an audit, its cells (outcome bytes included), examples and clean figures', () => {
    const store = openStore(':memory:');
    const a = store.audits.insert({ id: 'a1b2c3d4-x', jobId: 'job-1', rerunOf: null, input: { models: ['m'], dataset: 'tiny' }, suiteSpecs: [{ name: 'pgd', params: { alpha: 0.01, steps: 3 } }], classes: ['N', 'V'], provenance, beats: 3, cellsTotal: 2, createdAt: provenance.startedAt });
    expect(a).toMatchObject({ status: 'running', cellsDone: 0, clean: [], finishedAt: null, suiteSpecs: [{ name: 'pgd', params: { alpha: 0.01, steps: 3 } }] });
    const example: AuditExample = { model: 'm', label: 'fgsm', eps: 0.01, beatIndex: 17, reference: 'N', clean: [0, 0.5, 1], adversarial: [0.01, 0.49, 0.99], before: 'N', after: 'V', attacked: 0.8 };
    store.audits.insertCell(a.id, { idx: 0, figures: cell, correct: Uint8Array.of(1, 0, 1), flagged: Uint8Array.of(0, 1, 1) }, [example]);
    store.audits.insertCell(a.id, { idx: 1, figures: { ...cell, attack: 'pgd', label: 'pgd', detection: null }, correct: Uint8Array.of(0, 0, 1), flagged: null }, []);
    const clean = [{ model: 'm', accuracy: 1, perClass: cell.perClass, confusion: [[2, 0], [0, 1]] }];
    store.audits.update(a.id, { status: 'succeeded', clean, finishedAt: 'later', provenance: { ...provenance, finishedAt: 'later' } });
    const got = store.audits.get(a.id)!;
    expect(got).toMatchObject({ status: 'succeeded', cellsDone: 2, clean, finishedAt: 'later', jobId: 'job-1' });
    expect(got.provenance.finishedAt).toBe('later');
    const cells = store.audits.cells(a.id);
    expect(cells.map((c) => c.figures)).toEqual([cell, { ...cell, attack: 'pgd', label: 'pgd', detection: null }]);
    expect(Array.from(cells[0]!.correct)).toEqual([1, 0, 1]);
    expect(Array.from(cells[0]!.flagged!)).toEqual([0, 1, 1]);
    expect(cells[1]!.flagged).toBeNull();
    expect(store.audits.examples(a.id)).toEqual([example]);
    // Found by id, job id and a unique prefix of 6 or more characters.
    expect(store.audits.find('job-1')!.id).toBe(a.id);
    expect(store.audits.find('a1b2c3')!.id).toBe(a.id);
    expect(store.audits.find('a1b')).toBeNull();
    expect(store.audits.byJob('job-1')!.id).toBe(a.id);
    // A cell that breaks the contract is refused before it reaches SQL.
    expect(() => store.audits.insertCell(a.id, { idx: 2, figures: { ...cell, attack: 'nope' as never }, correct: new Uint8Array(3), flagged: null }, [])).toThrow();
    const r = store.audits.insert({ id: 'second', jobId: 'job-2', rerunOf: a.id, input: {}, suiteSpecs: [], classes: ['N', 'V'], provenance, beats: 3, cellsTotal: 2, createdAt: '2026-02-01T00:00:00.000Z' });
    expect(r.rerunOf).toBe(a.id);
    expect(store.audits.list(10).map((x) => x.id)).toEqual(['second', a.id]);
    store.close();
  });
});
