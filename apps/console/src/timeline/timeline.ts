import { formatDate } from '../rendering';

/**
 * One child's Public Law Outline timeline: the 26 weeks from that child's issue date, extensions,
 * hearings (listed, moved, vacated, held), today and the final hearing, with drift marked. Drawn as
 * SVG on the server (no script), described in words for those who cannot see it, and listed as rows
 * for the table beside it.
 */

/** A hearing as the timeline needs it; `movedFrom` holds the dates it was listed for before, oldest first. */
export interface TimelineHearing {
  id: string;
  type: string;
  date: string;
  status: string;
  movedFrom: string[];
}

export interface TimelineExtension {
  grantedOn: string;
  from: string;
  to: string;
  reason: string;
}

export interface TimelineModel {
  /** Unique on the page: the SVG's ids are made from it. */
  id: string;
  childName: string;
  issuedOn: string;
  /** The last day of the 26 weeks beginning with the issue day. */
  originalLimit: string;
  /** The last day as extended (the original limit when there was no extension). */
  limit: string;
  extensions: TimelineExtension[];
  hearings: TimelineHearing[];
  today: string;
  concludedOn: string | null;
  outcome: string | null;
  /** The PLO service's projection for the child, when it projects drift. */
  projectedDrift: string | null;
}

const DAY_MS = 86_400_000;
const day = (date: string) => Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
const dateOf = (index: number) => new Date(index * DAY_MS).toISOString().slice(0, 10);

const HEARING_NAMES: Record<string, [name: string, short: string]> = {
  'case-management': ['case management hearing', 'CMH'],
  'further-case-management': ['further case management hearing', 'FCMH'],
  'issue-resolution': ['issues resolution hearing', 'IRH'],
  final: ['final hearing', 'Final'],
  'fact-finding': ['fact-finding hearing', 'Fact-finding'],
  'interim-care-order': ['interim care order hearing', 'ICO'],
  'emergency-protection-order': ['emergency protection order hearing', 'EPO'],
  other: ['hearing', 'Hearing'],
};

const hearingName = (type: string) => HEARING_NAMES[type]?.[0] ?? type.replace(/-/g, ' ');
const hearingShort = (type: string) => HEARING_NAMES[type]?.[1] ?? type;

const STATUS_WORDS: Record<string, string> = {
  listed: 'listed',
  adjourned: 'adjourned',
  'adjourned-and-relisted': 'adjourned and re-listed',
  vacated: 'vacated',
  'vacated-and-relisted': 'vacated and re-listed',
  held: 'held',
};
export const hearingStatusWords = (status: string) => STATUS_WORDS[status] ?? status.replace(/-/g, ' ');

const REASON_WORDS: Record<string, string> = {
  'timetable-for-proceedings': 'the timetable for the proceedings',
  'timetable-for-child': 'the timetable for the child',
  'delay-in-case-impact-on-child': 'delay in the case and its impact on the child',
  'international-aspect': 'an international aspect',
};
const extensionReasonWords = (reason: string) => REASON_WORDS[reason] ?? reason.replace(/-/g, ' ');

/** A hearing that is still to take place on its listed date. */
const isLive = (status: string) => status === 'listed' || status.endsWith('-and-relisted');

/** "3 weeks and 2 days", "5 days". */
export function weeksAndDays(days: number): string {
  const weeks = Math.floor(days / 7);
  const rest = days % 7;
  const part = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (weeks === 0) return part(rest, 'day');
  return rest === 0 ? part(weeks, 'week') : `${part(weeks, 'week')} and ${part(rest, 'day')}`;
}

/** The final hearing that decides the child's timescale: one held, else the latest still listed. */
export function finalHearing(model: TimelineModel): { hearing: TimelineHearing; held: boolean } | null {
  const finals = model.hearings.filter((hearing) => hearing.type === 'final').sort((a, b) => a.date.localeCompare(b.date));
  const held = finals.filter((hearing) => hearing.status === 'held').at(-1);
  if (held) return { hearing: held, held: true };
  const listed = finals.filter((hearing) => isLive(hearing.status)).at(-1);
  return listed ? { hearing: listed, held: false } : null;
}

export interface Drift {
  drifting: boolean;
  /** Each reason in words. */
  statements: string[];
  /** How far past the limit the drift reaches (the latest of a late final hearing, conclusion or today). */
  until: string | null;
}

/**
 * Drift: the final hearing held or projected after the limit, the child's proceedings concluded after
 * it, today past it while they go on, or the PLO service's own projection (no final hearing listed in
 * time).
 */
export function driftOf(model: TimelineModel): Drift {
  const limit = day(model.limit);
  const statements: string[] = [];
  const reaches: number[] = [];
  const late = (date: string) => weeksAndDays(day(date) - limit);
  const final = finalHearing(model);
  if (final && day(final.hearing.date) > limit) {
    statements.push(
      final.held
        ? `The final hearing was held on ${formatDate(final.hearing.date)}, ${late(final.hearing.date)} after the limit.`
        : `The final hearing is projected for ${formatDate(final.hearing.date)}, ${late(final.hearing.date)} after the limit.`,
    );
    reaches.push(day(final.hearing.date));
  }
  if (model.concludedOn && day(model.concludedOn) > limit) {
    statements.push(`The proceedings concluded on ${formatDate(model.concludedOn)}, ${late(model.concludedOn)} after the limit.`);
    reaches.push(day(model.concludedOn));
  }
  if (!model.concludedOn && day(model.today) > limit) {
    statements.push(`Today is ${late(model.today)} past the limit and the proceedings go on.`);
    reaches.push(day(model.today));
  }
  if (!model.concludedOn && model.projectedDrift === 'no-final-hearing-listed' && !final) {
    statements.push('No final hearing is listed in time: the PLO service projects drift.');
  }
  return {
    drifting: statements.length > 0,
    statements,
    until: reaches.length ? dateOf(Math.max(...reaches)) : null,
  };
}

/** The timeline in words: the SVG's description, and what a screen reader announces. */
export function timelineDescription(model: TimelineModel): string {
  const sentences = [
    `${model.childName}: care proceedings issued on ${formatDate(model.issuedOn)}; the 26 weeks end on ${formatDate(model.originalLimit)}.`,
  ];
  if (model.extensions.length) {
    const each = model.extensions.map(
      (extension) =>
        `to ${formatDate(extension.to)} (granted ${formatDate(extension.grantedOn)}, for ${extensionReasonWords(extension.reason)})`,
    );
    const times = model.extensions.length === 1 ? 'once' : `${model.extensions.length} times`;
    sentences.push(`Extended ${times}: ${each.join('; ')}. The limit is now ${formatDate(model.limit)}.`);
  }
  if (model.concludedOn) {
    sentences.push(`Concluded on ${formatDate(model.concludedOn)}${model.outcome ? ` (${model.outcome.replace(/-/g, ' ')})` : ''}.`);
  }
  const final = finalHearing(model);
  const rows = timelineRows(model);
  if (rows.length) {
    const described = rows.map((row) => {
      const projected = final && !final.held && final.hearing.id === row.id ? ' (the projected final hearing)' : '';
      const moved = row.movedFrom.length ? `, moved from ${row.movedFrom.map(formatDate).join(', then from ')}` : '';
      return `${row.name} on ${formatDate(row.date)}, ${row.status}${moved}${projected}`;
    });
    sentences.push(`Hearings: ${described.join('; ')}.`);
  } else sentences.push('No hearings are listed.');
  if (!final && !model.concludedOn) sentences.push('No final hearing is listed.');
  sentences.push(`Today is ${formatDate(model.today)}.`);
  const drift = driftOf(model);
  sentences.push(drift.drifting ? `Drift: ${drift.statements.join(' ')}` : 'No drift.');
  return sentences.join(' ');
}

export interface TimelineRow {
  id: string;
  name: string;
  date: string;
  status: string;
  movedFrom: string[];
  final: boolean;
}

/** The hearings in date order, for the table beside the SVG. */
export function timelineRows(model: TimelineModel): TimelineRow[] {
  return [...model.hearings]
    .sort((a, b) => a.date.localeCompare(b.date) || a.id.localeCompare(b.id))
    .map((hearing) => {
      const name = hearingName(hearing.type);
      return {
        id: hearing.id,
        name: name.charAt(0).toUpperCase() + name.slice(1),
        date: hearing.date,
        status: hearingStatusWords(hearing.status),
        movedFrom: hearing.movedFrom,
        final: hearing.type === 'final',
      };
    });
}

// ---- drawing -------------------------------------------------------------------------------

/** Text and attribute values made safe for XML: nothing from the data can open a tag or end an attribute. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const INK = '#0b0c0c';
const GREY = '#505a5f';
const BLUE = '#1d70b8';
const LIGHT_BLUE = '#d2e2f1';
const RED = '#d4351c';
const WIDTH = 760;
const LEFT = 24;
const RIGHT = 24;
const BAND_Y = 30;
const BAND_H = 26;
const MARK_Y = BAND_Y + BAND_H + 30;
const LANE_H = 15;
const FONT = 'font-family="arial, sans-serif" font-size="11"';
const CHAR_W = 6.1;

const shortDate = (date: string) => formatDate(date).replace(/ \d{4}$/, '');
const num = (n: number) => (Math.round(n * 10) / 10).toString();

interface Label {
  x: number;
  text: string;
  struck: boolean;
  colour: string;
  bold?: boolean;
}

/** Lanes for labels under the markers, so that none overlaps another. */
function placeLabels(labels: Label[], minX: number, maxX: number): { label: Label; left: number; lane: number }[] {
  const lanesEnd: number[] = [];
  return [...labels]
    .sort((a, b) => a.x - b.x)
    .map((label) => {
      const width = label.text.length * CHAR_W;
      const left = Math.min(Math.max(label.x - width / 2, minX), maxX - width);
      let lane = lanesEnd.findIndex((end) => end + 6 <= left);
      if (lane === -1) lane = lanesEnd.push(0) - 1;
      lanesEnd[lane] = left + width;
      return { label, left, lane };
    });
}

/** The timeline as an SVG document fragment: role="img", titled and described, sized by its viewBox. */
export function timelineSvg(model: TimelineModel): string {
  const id = model.id.replace(/[^A-Za-z0-9_-]/g, '-');
  const drift = driftOf(model);
  const issued = day(model.issuedOn);
  const limitEnd = day(model.limit) + 1;
  const allDates = model.hearings.flatMap((hearing) => [hearing.date, ...hearing.movedFrom]).map(day);
  const showToday = !model.concludedOn || day(model.today) <= Math.max(limitEnd, ...allDates.map((d) => d + 1));
  const start = Math.min(issued, ...allDates);
  const lastDay = Math.max(
    limitEnd,
    ...allDates.map((d) => d + 1),
    model.concludedOn ? day(model.concludedOn) + 1 : limitEnd,
    showToday ? day(model.today) + 1 : limitEnd,
  );
  // Whole weeks from the issue day, and one more, so the last marks are not at the edge.
  const end = issued + Math.ceil((lastDay - issued) / 7) * 7 + 7;
  const x = (dayIndex: number) => LEFT + ((dayIndex - start) / (end - start)) * (WIDTH - LEFT - RIGHT);

  const parts: string[] = [];
  const text = (tx: number, ty: number, body: string, attributes = '') =>
    `<text x="${num(tx)}" y="${num(ty)}" ${FONT} fill="${INK}" ${attributes}>${escapeXml(body)}</text>`;

  parts.push(
    `<defs>`,
    `<pattern id="${id}-ext" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="8" height="8" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="8" stroke="${BLUE}" stroke-width="3"/></pattern>`,
    `<pattern id="${id}-drift" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(-45)"><rect width="8" height="8" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="8" stroke="${RED}" stroke-width="3"/></pattern>`,
    `<marker id="${id}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${GREY}"/></marker>`,
    `</defs>`,
  );

  // The 26 weeks, the extensions and the drift, as bands.
  const band = (from: number, to: number, fill: string, stroke: string, label: string, dashed = false) => {
    const width = x(to) - x(from);
    parts.push(
      `<rect x="${num(x(from))}" y="${BAND_Y}" width="${num(Math.max(width, 1))}" height="${BAND_H}" fill="${fill}" stroke="${stroke}" stroke-width="1.5"${dashed ? ' stroke-dasharray="5 3"' : ''}/>`,
    );
    const labelWidth = label.length * CHAR_W;
    const style = stroke === RED ? `font-weight="bold" fill="${RED}"` : '';
    if (width > labelWidth + 10) {
      parts.push(
        `<rect x="${num(x(from) + 3)}" y="${BAND_Y + 6}" width="${num(labelWidth + 4)}" height="14" fill="#ffffff"/>`,
        text(x(from) + 5, BAND_Y + 17, label, style),
      );
    } else if (x(to) + 4 + labelWidth <= WIDTH - 2) {
      // Too narrow to hold its name: named beside it.
      parts.push(text(x(to) + 4, BAND_Y + 17, label, style));
    }
  };
  band(issued, day(model.originalLimit) + 1, LIGHT_BLUE, BLUE, '26 weeks');
  for (const extension of model.extensions)
    band(day(extension.from) + 1, day(extension.to) + 1, `url(#${id}-ext)`, BLUE, 'Extension', true);
  if (drift.until) band(limitEnd, day(drift.until) + 1, `url(#${id}-drift)`, RED, 'Drift');

  // Markers and their labels.
  const final = finalHearing(model);
  const labels: Label[] = [];
  const labelFor = new Map<Label, number>();
  const markers: string[] = [];
  for (const hearing of model.hearings) {
    const cx = x(day(hearing.date) + 0.5);
    for (const [index, earlier] of hearing.movedFrom.entries()) {
      const gx = x(day(earlier) + 0.5);
      markers.push(
        `<circle cx="${num(gx)}" cy="${MARK_Y}" r="6" fill="#ffffff" stroke="${GREY}" stroke-width="1.5" stroke-dasharray="2 2"/>`,
      );
      const next = index + 1 < hearing.movedFrom.length ? x(day(hearing.movedFrom[index + 1]) + 0.5) : cx;
      if (Math.abs(next - gx) < 24) {
        // Days too close for an arc to show its direction: a short straight arrow above them.
        const way = next >= gx ? 1 : -1;
        markers.push(
          `<path d="M${num(gx - way * 8)},${MARK_Y - 13} L${num(next + way * 8)},${MARK_Y - 13}" fill="none" stroke="${GREY}" stroke-width="1.5" marker-end="url(#${id}-arrow)"/>`,
        );
      } else {
        const lift = Math.min(24, 14 + Math.abs(next - gx) / 6);
        markers.push(
          `<path d="M${num(gx)},${MARK_Y - 8} Q${num((gx + next) / 2)},${num(MARK_Y - 8 - lift)} ${num(next)},${MARK_Y - 9}" fill="none" stroke="${GREY}" stroke-width="1.5" marker-end="url(#${id}-arrow)"/>`,
        );
      }
      const ghost: Label = { x: gx, text: `${hearingShort(hearing.type)} ${shortDate(earlier)}`, struck: true, colour: GREY };
      labels.push(ghost);
      labelFor.set(ghost, gx);
    }
    const isFinal = final?.hearing.id === hearing.id;
    const lateFinal = isFinal && day(hearing.date) >= limitEnd;
    const colour = lateFinal ? RED : INK;
    const filled = hearing.status === 'held' ? colour : '#ffffff';
    if (hearing.type === 'final') {
      markers.push(
        `<path d="M${num(cx)},${MARK_Y - 8} L${num(cx + 8)},${MARK_Y} L${num(cx)},${MARK_Y + 8} L${num(cx - 8)},${MARK_Y} z" fill="${filled}" stroke="${colour}" stroke-width="2"/>`,
      );
    } else {
      markers.push(`<circle cx="${num(cx)}" cy="${MARK_Y}" r="6" fill="${filled}" stroke="${colour}" stroke-width="2"/>`);
    }
    const ended = hearing.status === 'vacated' || hearing.status === 'adjourned';
    if (hearing.status === 'vacated') {
      markers.push(
        `<path d="M${num(cx - 7)},${MARK_Y - 7} L${num(cx + 7)},${MARK_Y + 7} M${num(cx + 7)},${MARK_Y - 7} L${num(cx - 7)},${MARK_Y + 7}" stroke="${INK}" stroke-width="2"/>`,
      );
    }
    const suffix =
      isFinal && !final!.held
        ? ' (projected)'
        : hearing.status === 'vacated'
          ? ' vacated'
          : hearing.status === 'adjourned'
            ? ' adjourned'
            : '';
    const label: Label = {
      x: cx,
      text: `${hearingShort(hearing.type)} ${shortDate(hearing.date)}${suffix}`,
      struck: hearing.status === 'vacated',
      colour: lateFinal ? RED : ended ? GREY : INK,
      bold: isFinal,
    };
    labels.push(label);
    labelFor.set(label, cx);
  }

  const placed = placeLabels(labels, 2, WIDTH - 2);
  const lanes = placed.reduce((most, item) => Math.max(most, item.lane + 1), 0);
  const labelsTop = MARK_Y + 22;
  const axisY = labelsTop + lanes * LANE_H + 8;
  const height = axisY + 62;

  for (const { label, left, lane } of placed) {
    const ty = labelsTop + lane * LANE_H;
    const mx = labelFor.get(label)!;
    parts.push(`<line x1="${num(mx)}" y1="${MARK_Y + 9}" x2="${num(mx)}" y2="${ty - 10}" stroke="#b1b4b6" stroke-width="1"/>`);
    parts.push(text(left, ty, label.text, `fill="${label.colour}"${label.bold ? ' font-weight="bold"' : ''}`));
    if (label.struck) {
      parts.push(
        `<line x1="${num(left)}" y1="${ty - 4}" x2="${num(left + label.text.length * CHAR_W)}" y2="${ty - 4}" stroke="${label.colour}" stroke-width="1.2"/>`,
      );
    }
  }

  // The limit, the original limit when extended, and today, as lines across the bands and markers.
  const line = (atX: number, colour: string, dash: string | null, width = 2) =>
    `<line x1="${num(atX)}" y1="${BAND_Y - 6}" x2="${num(atX)}" y2="${axisY}" stroke="${colour}" stroke-width="${width}"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`;
  if (model.extensions.length) parts.push(line(x(day(model.originalLimit) + 1), GREY, '3 3', 1));
  parts.push(line(x(limitEnd), model.extensions.length ? BLUE : INK, null));
  const limitLabel = `${model.extensions.length ? 'Extended limit' : 'Limit'} ${formatDate(model.limit)}`;
  parts.push(text(x(limitEnd) - 4, BAND_Y - 10, limitLabel, 'text-anchor="end" font-weight="bold"'));
  parts.push(text(x(issued), BAND_Y - 10, `Issued ${formatDate(model.issuedOn)}`));
  parts.push(...markers);
  if (showToday) {
    const todayX = x(day(model.today) + 0.5);
    parts.push(line(todayX, INK, '6 3', 1.5));
    const label = `Today ${formatDate(model.today)}`;
    const width = label.length * CHAR_W;
    const left = Math.min(Math.max(todayX - width / 2, 2), WIDTH - 2 - width);
    parts.push(text(left, axisY + 30, label, 'font-weight="bold"'));
  }

  // The axis: weeks from the issue day.
  parts.push(`<line x1="${LEFT}" y1="${axisY}" x2="${WIDTH - RIGHT}" y2="${axisY}" stroke="${INK}" stroke-width="1"/>`);
  const weeks = (end - issued) / 7;
  const every = weeks <= 30 ? 2 : weeks <= 60 ? 4 : weeks <= 120 ? 8 : 26;
  for (let week = 0; issued + week * 7 <= end; week++) {
    const tx = x(issued + week * 7);
    const labelled = week % every === 0;
    parts.push(`<line x1="${num(tx)}" y1="${axisY}" x2="${num(tx)}" y2="${axisY + (labelled ? 6 : 3)}" stroke="${INK}" stroke-width="1"/>`);
    if (labelled) parts.push(text(tx, axisY + 17, week === 0 ? 'week 0' : String(week), 'text-anchor="middle"'));
  }

  // A key, so that no shape or colour alone carries a meaning.
  const keyY = axisY + 50;
  const key: string[] = [
    `<circle cx="30" cy="${keyY - 4}" r="5" fill="#ffffff" stroke="${INK}" stroke-width="2"/>`,
    text(40, keyY, 'listed'),
    `<circle cx="95" cy="${keyY - 4}" r="5" fill="${INK}" stroke="${INK}" stroke-width="2"/>`,
    text(105, keyY, 'held'),
    `<circle cx="150" cy="${keyY - 4}" r="5" fill="#ffffff" stroke="${GREY}" stroke-width="1.5" stroke-dasharray="2 2"/>`,
    text(160, keyY, 'moved from (struck through)'),
    `<path d="M327,${keyY - 9} L337,${keyY + 1} M337,${keyY - 9} L327,${keyY + 1}" stroke="${INK}" stroke-width="2"/>`,
    text(343, keyY, 'vacated'),
    `<path d="M407,${keyY - 10} L413,${keyY - 4} L407,${keyY + 2} L401,${keyY - 4} z" fill="#ffffff" stroke="${INK}" stroke-width="2"/>`,
    text(418, keyY, 'final hearing'),
    `<rect x="500" y="${keyY - 10}" width="22" height="12" fill="url(#${id}-drift)" stroke="${RED}"/>`,
    text(527, keyY, 'drift past the limit'),
  ];
  parts.push(...key);

  const title = `PLO timeline for ${model.childName}`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="console-timeline" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-labelledby="${id}-title ${id}-desc">`,
    `<title id="${id}-title">${escapeXml(title)}</title>`,
    `<desc id="${id}-desc">${escapeXml(timelineDescription(model))}</desc>`,
    ...parts,
    `</svg>`,
  ].join('\n');
}
