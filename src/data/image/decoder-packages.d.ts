// The part of pngjs (7.0.0) deeptype uses: the synchronous PNG parser. (jpeg-js ships its own types.)
declare module "pngjs" {
  interface ParsedPng {
    width: number;
    height: number;
    depth: number;
    colorType: number;
    data: Uint8Array | Uint16Array;
  }
  export const PNG: {
    sync: { read(buffer: Uint8Array, options?: { skipRescale?: boolean; checkCRC?: boolean }): ParsedPng; write(png: { width: number; height: number; data: Uint8Array }, options?: Record<string, unknown>): Uint8Array };
    new (options: { width: number; height: number }): { width: number; height: number; data: Uint8Array };
  };
}
