// Files the operator saves from the console (reports, chart images): a blob link clicked once. The
// browser's or Electron's download handling decides where the file goes.

export function downloadBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** CSV text with a byte-order mark, so that spreadsheets read it as UTF-8 (Cyrillic names). */
export function downloadCsv(fileName: string, csv: string): void {
  downloadBlob(fileName, new Blob([`\ufeff${csv}`], { type: 'text/csv;charset=utf-8' }));
}
