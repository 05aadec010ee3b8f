// Seam for PDF export: printing the report's HTML to a PDF file is not built yet. The report
// engineer replaces this with a real printer; export calls printPdf(html, outPath) either way.
import { AppError } from '../../src-shared/errors.ts';

export async function printPdf(_html: string, outPath: string): Promise<void> {
  throw new AppError('CONFLICT', `PDF export not available yet (${outPath} not written); export html instead`);
}
