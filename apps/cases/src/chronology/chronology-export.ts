import PDFDocument from 'pdfkit';
import { csvCell } from '@plo/platform';
import { ChronologyView } from './chronology.views';

const CSV_COLUMNS = ['date', 'event', 'source', 'significance'] as const;

export function chronologyCsv(chronology: ChronologyView): string {
  const lines = [CSV_COLUMNS.join(','), ...chronology.entries.map((entry) => CSV_COLUMNS.map((c) => csvCell(entry[c])).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}

/** A file name that says whose chronology it is, from characters every file system takes. */
export function exportFileName(chronology: ChronologyView, extension: 'csv' | 'pdf'): string {
  const safe = (text: string) => text.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return `chronology-${safe(chronology.caseReference)}-${safe(chronology.childName)}.${extension}`;
}

const MARGIN = 50;
const COLUMNS = [
  { key: 'date', width: 70 },
  { key: 'event', width: 275 },
  { key: 'source', width: 50 },
  { key: 'significance', width: 100 },
] as const;
const GAP = 5;

/** The chronology as a court bundle reads it: who, which case, when produced, then one row per entry, oldest first. */
export function chronologyPdf(chronology: ChronologyView, generatedOn: string): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: MARGIN, info: { Title: `Chronology: ${chronology.childName}` } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));

  doc.font('Helvetica-Bold').fontSize(16).text(`Chronology: ${chronology.childName}`);
  doc.font('Helvetica').fontSize(10).text(`Case reference: ${chronology.caseReference}`).text(`Generated: ${generatedOn}`).moveDown();

  const bottom = doc.page.height - MARGIN;
  const row = (cells: Record<(typeof COLUMNS)[number]['key'], string>, font: string) => {
    doc.font(font).fontSize(9);
    const height = Math.max(...COLUMNS.map((c) => doc.heightOfString(cells[c.key], { width: c.width })));
    if (doc.y + height > bottom) doc.addPage();
    const top = doc.y;
    let x = MARGIN;
    for (const column of COLUMNS) {
      doc.text(cells[column.key], x, top, { width: column.width });
      x += column.width + GAP;
    }
    doc.x = MARGIN;
    doc.y = top + height + GAP;
  };
  row({ date: 'Date', event: 'Event', source: 'Source', significance: 'Significance' }, 'Helvetica-Bold');
  for (const entry of chronology.entries) row(entry, 'Helvetica');
  if (!chronology.entries.length) doc.font('Helvetica').text('No entries.');
  doc.end();
  return done;
}
