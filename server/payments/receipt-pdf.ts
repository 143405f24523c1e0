// A receipt as a one-page PDF (PDFKit), in any of the 20 languages. Text is set in Noto fonts
// from Debian's fonts-noto-core and fonts-noto-cjk (installed by .ci/run and the Dockerfile),
// embedded as subsets: each character takes the first font of the language's list that has it,
// so a Japanese name on a Spanish receipt still shows. Shaping (Arabic joining, Indic
// conjuncts, Thai marks) is fontkit's. PDF has no bidi of its own, so for Arabic and Urdu the
// line is ordered here, simply: Arabic words right to left, each run of other words (an email,
// "US$", Latin digits) kept left to right inside it. That is enough for the receipt's own
// texts; it is not the full Unicode bidi algorithm.
import { existsSync, readFileSync } from 'node:fs';
import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';
import type { Receipt } from './receipts.ts';

const NOTO = '/usr/share/fonts/truetype/noto';
const NOTO_CJK = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';

interface Face {
  name: string;
  file: string;
  /** The font's PostScript name, for a file that holds several (a .ttc). */
  postscriptName?: string;
}
const LATIN: Face = { name: 'latin', file: `${NOTO}/NotoSans-Regular.ttf` };
const ARABIC: Face = { name: 'arabic', file: `${NOTO}/NotoSansArabic-Regular.ttf` };
const DEVANAGARI: Face = { name: 'devanagari', file: `${NOTO}/NotoSansDevanagari-Regular.ttf` };
const BENGALI: Face = { name: 'bengali', file: `${NOTO}/NotoSansBengali-Regular.ttf` };
const THAI: Face = { name: 'thai', file: `${NOTO}/NotoSansThai-Regular.ttf` };
const cjk = (region: 'jp' | 'kr' | 'sc'): Face => ({
  name: `cjk-${region}`,
  file: NOTO_CJK,
  postscriptName: `NotoSansCJK${region}-Regular`,
});

/** The fonts tried for each character, the language's own script first (its CJK region's glyph forms). */
function facesFor(language: string): Face[] {
  const first: Record<string, Face> = {
    ar: ARABIC,
    ur: ARABIC,
    hi: DEVANAGARI,
    bn: BENGALI,
    th: THAI,
    ja: cjk('jp'),
    ko: cjk('kr'),
    zh: cjk('sc'),
  };
  const own = first[language];
  const rest = [LATIN, ARABIC, DEVANAGARI, BENGALI, THAI, cjk(language === 'ko' ? 'kr' : language === 'zh' ? 'sc' : 'jp')];
  const faces = own === undefined ? rest : [own, ...rest.filter((face) => face.file !== own.file)];
  return faces.filter((face) => existsSync(face.file));
}

// Read once per process: the CJK collection is 19 MB.
const files = new Map<string, Buffer>();
const parsed = new Map<string, fontkit.Font>();
function bytesOf(face: Face): Buffer {
  let bytes = files.get(face.file);
  if (bytes === undefined) {
    bytes = readFileSync(face.file);
    files.set(face.file, bytes);
  }
  return bytes;
}
function fontOf(face: Face): fontkit.Font {
  let font = parsed.get(face.name);
  if (font === undefined) {
    font = fontkit.create(bytesOf(face), face.postscriptName) as fontkit.Font;
    parsed.set(face.name, font);
  }
  return font;
}

const RTL_LANGUAGES = new Set(['ar', 'ur']);
const hasArabicLetter = (word: string) => [...word].some((char) => /\p{Script=Arabic}/u.test(char) && /\p{L}/u.test(char));
const ARABIC_DIGITS = /^[\p{Script=Arabic}\p{P}\p{S}]*[\u0660-\u0669\u06F0-\u06F9][\u0660-\u0669\u06F0-\u06F9\p{P}\p{S}]*$/u;
/** Spaces, digits and punctuation: set in the font of the text around them when it has them. */
const NEUTRAL = /[\s\p{P}\p{S}\p{Nd}]/u;

interface Run {
  text: string;
  face: Face | undefined;
}

class Setter {
  readonly #doc: PDFKit.PDFDocument;
  readonly #faces: Face[];
  readonly #rtl: boolean;
  readonly #registered = new Set<string>();

  constructor(doc: PDFKit.PDFDocument, language: string) {
    this.#doc = doc;
    this.#faces = facesFor(language);
    this.#rtl = RTL_LANGUAGES.has(language);
  }

  get rtl(): boolean {
    return this.#rtl;
  }

  /** Draws one line of text at `y`, within [x, x + width], from its start side (right in RTL). */
  line(text: string, x: number, y: number, width: number, size: number, color = '#111111'): void {
    const doc = this.#doc.fontSize(size).fillColor(color);
    const pieces = this.#rtl ? this.#visualOrder(text) : [text];
    const runs = pieces.flatMap((piece, index) => [...(index === 0 ? [] : [{ text: ' ', face: this.#faces[0] }]), ...this.#runs(piece)]);
    const widths = runs.map((run) => this.#use(run.face).widthOfString(run.text));
    const total = widths.reduce((sum, each) => sum + each, 0);
    let at = this.#rtl ? x + width - Math.min(total, width) : x;
    runs.forEach((run, index) => {
      this.#use(run.face);
      // On one baseline: fonts of different scripts have different ascents, and PDFKit's `y` is the top of the line.
      doc.text(run.text, at, y + size, { lineBreak: false, baseline: 'alphabetic' });
      at += widths[index] ?? 0;
    });
  }

  /** Splits `text` into lines of at most `width` at spaces (a receipt's values are short; this only catches a long address). */
  wrap(text: string, width: number, size: number): string[] {
    this.#doc.fontSize(size);
    const lines: string[] = [];
    let current = '';
    for (const word of text.split(' ')) {
      const candidate = current === '' ? word : `${current} ${word}`;
      if (current !== '' && this.#width(candidate) > width) {
        lines.push(current);
        current = word;
      } else current = candidate;
    }
    lines.push(current);
    return lines;
  }

  #width(text: string): number {
    return this.#runs(text).reduce((sum, run) => sum + this.#use(run.face).widthOfString(run.text), 0);
  }

  /**
   * Right-to-left order of an RTL line, left to right on the page: each Arabic word alone
   * (fontkit shapes it and lays its glyphs right to left), Arabic-Indic numbers alone, and
   * runs of other words kept in their order.
   */
  #visualOrder(text: string): string[] {
    const groups: { text: string; ltr: boolean }[] = [];
    for (const word of text.split(/\s+/).filter((each) => each !== '')) {
      const ltr = !hasArabicLetter(word) && !ARABIC_DIGITS.test(word);
      const last = groups.at(-1);
      if (ltr && last?.ltr === true) last.text = `${last.text} ${word}`;
      else groups.push({ text: word, ltr });
    }
    return groups.reverse().map((group) => group.text);
  }

  /** The text cut where its font changes: each character in the first font that has it, neutrals staying with their neighbours. */
  #runs(text: string): Run[] {
    const runs: Run[] = [];
    for (const char of text) {
      const code = char.codePointAt(0) ?? 0;
      const last = runs.at(-1);
      if (last?.face !== undefined && NEUTRAL.test(char) && fontOf(last.face).hasGlyphForCodePoint(code)) {
        last.text += char;
        continue;
      }
      const face = this.#faces.find((each) => fontOf(each).hasGlyphForCodePoint(code)) ?? this.#faces[0];
      if (last !== undefined && last.face?.name === face?.name) last.text += char;
      else runs.push({ text: char, face });
    }
    return runs;
  }

  #use(face: Face | undefined): PDFKit.PDFDocument {
    // Without any Noto font on the machine, PDFKit's own Helvetica (Latin only) still makes a receipt.
    if (face === undefined) return this.#doc.font('Helvetica');
    if (!this.#registered.has(face.name)) {
      this.#doc.registerFont(face.name, bytesOf(face), face.postscriptName);
      this.#registered.add(face.name);
    }
    return this.#doc.font(face.name);
  }
}

const PAGE = { width: 595.28, height: 841.89, margin: 56 };

export async function renderReceiptPdf(receipt: Receipt): Promise<Uint8Array<ArrayBuffer>> {
  const { texts } = receipt;
  const doc = new PDFDocument({
    size: 'A4',
    margin: PAGE.margin,
    lang: receipt.locale,
    displayTitle: true,
    info: { Title: `${texts.title} ${receipt.number}`, Author: receipt.seller.name, Subject: receipt.item },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  const set = new Setter(doc, receipt.language);
  const left = PAGE.margin;
  const width = PAGE.width - 2 * PAGE.margin;
  let y = PAGE.margin;

  set.line(receipt.seller.name, left, y, width, 16);
  y += 22;
  for (const line of receipt.seller.address) {
    set.line(line, left, y, width, 10, '#555555');
    y += 14;
  }
  y += 20;
  set.line(texts.title, left, y, width, 26);
  y += 42;
  doc
    .moveTo(left, y)
    .lineTo(left + width, y)
    .lineWidth(0.5)
    .strokeColor('#bbbbbb')
    .stroke();
  y += 12;

  const labelWidth = 170;
  const valueWidth = width - labelWidth - 12;
  const rows: [string, string[]][] = [
    [texts.number, [receipt.number]],
    [texts.datePaid, [receipt.datePaid]],
    [texts.billedTo, [receipt.buyer.name, receipt.buyer.email]],
    [texts.seller, [receipt.seller.name, ...receipt.seller.address]],
    [texts.item, [receipt.item]],
    [texts.method, [receipt.method]],
    [texts.amount, [receipt.amount]],
    ...(receipt.givenBack === undefined ? [] : ([[receipt.givenBack.label, [receipt.givenBack.amount]]] as [string, string[]][])),
  ];
  for (const [label, values] of rows) {
    // The label on the start side (the right in Arabic and Urdu), the value after it.
    const labelX = set.rtl ? left + width - labelWidth : left;
    const valueX = set.rtl ? left : left + labelWidth + 12;
    set.line(label, labelX, y, labelWidth, 11, '#555555');
    for (const line of values.flatMap((value) => set.wrap(value, valueWidth, 11))) {
      set.line(line, valueX, y, valueWidth, 11);
      y += 16;
    }
    y += 8;
  }
  y += 16;
  set.line(texts.thanks, left, y, width, 12);
  doc.end();
  await ended;
  return new Uint8Array(Buffer.concat(chunks));
}
