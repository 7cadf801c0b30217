import { alertKey, ExpectedAlert, LevelClass, levelClass } from './expectations';

/** An alert as a viewer saw it through the alerting API, with the service's child id already read back as the world's child. */
export interface ReportedAlert {
  childKey: string;
  kind: string;
  dueDate: string;
  level: string;
}

export interface Score {
  viewer: string;
  levelClass: LevelClass;
  expected: number;
  reported: number;
  truePositives: number;
  precision: number;
  recall: number;
  /** A few keys of each kind of miss, to say why a figure is below 1. */
  missing: string[];
  unexpected: string[];
}

const LEVEL_CLASSES: LevelClass[] = ['drift', 'warning', 'projected-drift'];

/**
 * Precision and recall of what each viewer sees against what they must see, per level class.
 * Nothing expected and nothing reported scores 1.00: the view is right.
 */
export function score(viewer: string, expected: ExpectedAlert[], reported: ReportedAlert[]): Score[] {
  const mine = expected.filter((e) => e.viewers.includes(viewer));
  return LEVEL_CLASSES.map((cls) => {
    const want = new Set(mine.filter((e) => levelClass(e.level) === cls).map(alertKey));
    const got = new Set(reported.filter((r) => levelClass(r.level) === cls).map(alertKey));
    const hits = [...got].filter((k) => want.has(k)).length;
    return {
      viewer,
      levelClass: cls,
      expected: want.size,
      reported: got.size,
      truePositives: hits,
      precision: got.size === 0 ? 1 : hits / got.size,
      recall: want.size === 0 ? 1 : hits / want.size,
      missing: [...want].filter((k) => !got.has(k)).slice(0, 5),
      unexpected: [...got].filter((k) => !want.has(k)).slice(0, 5),
    };
  });
}

/** A table the lead can quote. */
export function formatScores(scores: Score[]): string {
  const rows = scores.map(
    (s) =>
      `${s.viewer.padEnd(16)} ${s.levelClass.padEnd(16)} expected ${String(s.expected).padStart(4)}  reported ${String(s.reported).padStart(4)}  ` +
      `precision ${s.precision.toFixed(2)}  recall ${s.recall.toFixed(2)}`,
  );
  return rows.join('\n');
}
