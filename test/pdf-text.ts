import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/**
 * The text a reader of the PDF sees, extracted by pdf-parse (pdf.js) in its own Node process: pdf.js
 * loads its worker by dynamic import, which Jest's module sandbox does not allow.
 */
export async function pdfText(pdf: ArrayBuffer): Promise<string> {
  const script = `const { PDFParse } = require('pdf-parse');
    const chunks = [];
    process.stdin.on('data', (c) => chunks.push(c)).on('end', async () =>
      process.stdout.write((await new PDFParse({ data: new Uint8Array(Buffer.concat(chunks)) }).getText()).text));`;
  const child = promisify(execFile)(process.execPath, ['-e', script], { cwd: __dirname, maxBuffer: 10_000_000 });
  child.child.stdin!.end(Buffer.from(pdf));
  return (await child).stdout;
}
