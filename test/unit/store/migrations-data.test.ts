import { describe, it, expect } from 'vitest';
import Database from 'better-sqlite3';
import { migrate } from '../../../src-main/store/db.ts';
import { MIGRATIONS } from '../../../src-main/store/migrations/index.ts';

describe('data migrations', () => {
  it('0003 records: unique source, cascading files and annotations, range index', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.slice(0, 3));
    db.pragma('foreign_keys = ON');
    const ins = db.prepare("INSERT INTO records (name, format, source_path, content_hash, frequency, num_frames, leads, info, class_counts, deidentified, imported_at) VALUES ('r', 'wfdb', ?, 'h', 360, 10, '[]', '[]', '{}', 1, 'now')");
    const id = Number(ins.run('/a.hea').lastInsertRowid);
    expect(() => ins.run('/a.hea')).toThrow(/UNIQUE/);
    db.prepare("INSERT INTO annotations (record_id, sample, symbol, aami, subtype, chan, num, aux, source) VALUES (?, 5, 'N', 'N', 0, 0, 0, NULL, 'reference')").run(id);
    expect(() => db.prepare("INSERT INTO annotations (record_id, sample, symbol, aami, subtype, chan, num, aux, source) VALUES (?, 5, 'N', 'X', 0, 0, 0, NULL, 'reference')").run(id)).toThrow();
    const plan = db.prepare('EXPLAIN QUERY PLAN SELECT * FROM annotations WHERE record_id = ? AND sample >= ? AND sample < ?').all(id, 0, 10) as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/annotations_by_time/);
    db.prepare('DELETE FROM records WHERE id = ?').run(id);
    expect(db.prepare('SELECT COUNT(*) AS n FROM annotations').get()).toEqual({ n: 0 });
    db.close();
  });

  it('0004 datasets: unique names and JSON manifests', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.slice(0, 4));
    const ins = db.prepare("INSERT INTO datasets (id, name, hash, manifest, path, created_at) VALUES (?, ?, 'h', ?, '/p', 'now')");
    ins.run('a', 'one', '{}');
    expect(() => ins.run('b', 'one', '{}')).toThrow(/UNIQUE/);
    expect(() => ins.run('c', 'two', 'not json')).toThrow();
    db.close();
  });

  it('0008 audit head: at most one row, created by the app, not by the migration', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.slice(0, 8));
    expect(db.prepare('SELECT COUNT(*) AS n FROM audit_head').get()).toEqual({ n: 0 });
    const ins = db.prepare("INSERT INTO audit_head (id, count, last_id, last_hash, anomaly, mac) VALUES (?, 0, 0, 'h', NULL, 'm')");
    ins.run(1);
    expect(() => ins.run(2)).toThrow(/CHECK/);
    expect(() => ins.run(1)).toThrow(/UNIQUE|PRIMARY/);
    db.close();
  });
  it('0009 training runs: one run per job, states and JSON checked, epochs an array', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.slice(0, 9));
    const ins = db.prepare("INSERT INTO training_runs (id, job_id, model, dataset_id, params, status, epochs, dir, created_at, updated_at) VALUES (?, ?, 'kachuee', 'ds', ?, ?, ?, ?, 'now', 'now')");
    ins.run('r1', 'j1', '{}', 'running', '[]', '/runs/r1');
    expect(() => ins.run('r2', 'j1', '{}', 'running', '[]', '/runs/r2')).toThrow(/UNIQUE/);
    expect(() => ins.run('r3', 'j3', '{}', 'queued', '[]', '/runs/r3')).toThrow(/CHECK/);
    expect(() => ins.run('r4', 'j4', 'nope', 'running', '[]', '/runs/r4')).toThrow(/CHECK/);
    expect(() => ins.run('r5', 'j5', '{}', 'running', '{}', '/runs/r5')).toThrow(/CHECK/);
    expect(db.prepare("SELECT epochs, checkpoint_path FROM training_runs WHERE id = 'r1'").get()).toEqual({ epochs: '[]', checkpoint_path: null });
    db.close();
  });
});

describe('0010 models and predictions', () => {
  it('one default model, JSON columns checked, predictions keyed by (record, sample) and cascading', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.slice(0, 10));
    db.pragma('foreign_keys = ON');
    const ins = db.prepare("INSERT INTO models (name, kind, classes, input_length, sampling_rate, model_hash, files, metrics, card, path, is_default, created_at) VALUES (?, 'dcnn', ?, 280, 360, 'h', '{}', '{}', '{}', '/m', ?, 'now')");
    ins.run('a', '["N","S"]', 1);
    expect(() => ins.run('a', '["N"]', 0)).toThrow(/UNIQUE|PRIMARY/);
    expect(() => ins.run('b', '["N"]', 1)).toThrow(/UNIQUE/); // a second default
    expect(() => ins.run('c', 'not json', 0)).toThrow(/CHECK/);
    ins.run('d', '["N"]', 0);
    const rec = Number(db.prepare("INSERT INTO records (name, format, source_path, content_hash, frequency, num_frames, leads, info, class_counts, deidentified, imported_at) VALUES ('r', 'wfdb', '/r.hea', 'h', 360, 10, '[]', '[]', '{}', 1, 'now')").run().lastInsertRowid);
    const pred = db.prepare("INSERT INTO predictions (record_id, sample, model_name, model_hash, predicted, probabilities, attacked, created_at) VALUES (?, ?, 'a', 'h', 'N', '{\"N\":1}', ?, 'now')");
    pred.run(rec, 5, null);
    expect(() => pred.run(rec, 5, null)).toThrow(/UNIQUE|PRIMARY/);
    expect(() => pred.run(rec, 6, 1.5)).toThrow(/CHECK/);
    expect(() => pred.run(rec + 1, 7, null)).toThrow(/FOREIGN/);
    db.prepare('DELETE FROM records WHERE id = ?').run(rec);
    expect(db.prepare('SELECT COUNT(*) AS n FROM predictions').get()).toEqual({ n: 0 });
    db.close();
  });
});

describe('0011 audits', () => {
  it('states and JSON checked, one cell per (audit, index) and per (model, attack, ε), cells and examples cascade, reruns point at their audit', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.slice(0, 11));
    db.pragma('foreign_keys = ON');
    const ins = db.prepare("INSERT INTO audits (id, job_id, rerun_of, status, input, suite_specs, classes, provenance, beats, cells_total, created_at, updated_at) VALUES (?, ?, ?, ?, ?, '[]', '[\"N\"]', '{}', 10, 2, 'now', 'now')");
    ins.run('a', 'j1', null, 'running', '{}');
    expect(() => ins.run('b', 'j1', null, 'running', '{}')).toThrow(/UNIQUE/);
    expect(() => ins.run('c', 'j3', null, 'queued', '{}')).toThrow(/CHECK/);
    expect(() => ins.run('d', 'j4', null, 'running', '[]')).toThrow(/CHECK/);
    expect(() => ins.run('e', 'j5', 'nope', 'running', '{}')).toThrow(/FOREIGN/);
    ins.run('r', 'j6', 'a', 'running', '{}');
    expect(db.prepare("SELECT clean, finished_at FROM audits WHERE id = 'a'").get()).toEqual({ clean: '[]', finished_at: null });
    const cell = db.prepare("INSERT INTO audit_cells (audit_id, idx, model, label, eps, figures, correct, flagged, created_at) VALUES ('a', ?, 'm', ?, 0.01, ?, x'0101', NULL, 'now')");
    cell.run(0, 'fgsm', '{}');
    expect(() => cell.run(0, 'pgd', '{}')).toThrow(/UNIQUE|PRIMARY/);
    expect(() => cell.run(1, 'fgsm', '{}')).toThrow(/UNIQUE/);
    expect(() => cell.run(2, 'pgd', 'nope')).toThrow(/CHECK/);
    const ex = db.prepare("INSERT INTO audit_examples (audit_id, cell_idx, k, example) VALUES ('a', ?, 0, '{}')");
    ex.run(0);
    expect(() => ex.run(5)).toThrow(/FOREIGN/);
    db.prepare("DELETE FROM audits WHERE id = 'a'").run();
    expect(db.prepare('SELECT (SELECT COUNT(*) FROM audit_cells) AS c, (SELECT COUNT(*) FROM audit_examples) AS e').get()).toEqual({ c: 0, e: 0 });
    expect(db.prepare("SELECT rerun_of FROM audits WHERE id = 'r'").get()).toEqual({ rerun_of: null });
    db.close();
  });
});
