// The part of xml2js 0.6 this project uses (the package ships no types).
declare module 'xml2js' {
  export interface ParserOptions {
    explicitArray?: boolean;
    explicitRoot?: boolean;
    strict?: boolean;
    async?: boolean;
    tagNameProcessors?: ((name: string) => string)[];
    attrNameProcessors?: ((name: string) => string)[];
    ignoreAttrs?: boolean;
    trim?: boolean;
  }
  export function parseString(xml: string, options: ParserOptions, callback: (err: Error | null, result: unknown) => void): void;
  export const processors: { stripPrefix(name: string): string };
}
