// The preview panel's HTML: a shell that loads the bundle, with a Content Security Policy that allows nothing but the
// extension's own files and scripts carrying this page's nonce. No inline script or style: the webview builds its DOM
// from code, and names (of assets, variables) only ever reach the page as text.
import { randomBytes } from 'node:crypto';

export interface PreviewHtmlOptions {
  /** `webview.cspSource`: the origin the webview loads the extension's files from. */
  readonly cspSource: string;
  readonly nonce: string;
  /** Scripts in order (the bundle last). Each gets the nonce. */
  readonly scripts: readonly string[];
  /** The bundle's CSS (codicons, uPlot) and the theme (media/preview.css). The first is the codicon stylesheet. */
  readonly styles: readonly string[];
}

export function newNonce(): string {
  return randomBytes(18).toString('base64url');
}

const attr = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function previewHtml({ cspSource, nonce, scripts, styles }: PreviewHtmlOptions): string {
  const csp = [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  // vscode-elements' <vscode-icon> finds the codicon stylesheet by this id and adopts it into its shadow roots.
  const links = styles.map((href, i) =>
    `<link ${i === 0 ? 'id="vscode-codicon-stylesheet" ' : ''}rel="stylesheet" href="${attr(href)}">`);
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="UTF-8">',
    `<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1.0">',
    ...links,
    '<title>Time Series Preview</title>',
    '</head>',
    '<body>',
    '<main id="app" aria-label="Time series preview"></main>',
    ...scripts.map((src) => `<script nonce="${attr(nonce)}" src="${attr(src)}"></script>`),
    '</body>',
    '</html>',
  ].join('\n');
}
