/**
 * Worker-thread entry for preprocessing: the pixel loops are plain JavaScript, so they run here,
 * off the main thread, one page per message, and both cores share them with Tesseract.
 */
import { parentPort } from "node:worker_threads";
import { encodePng, preparePage, type PrepareOptions } from "./preprocess.server";

parentPort!.on(
  "message",
  async (message: { id: number; viewing: Uint8Array; options?: PrepareOptions }) => {
    try {
      const prepared = await preparePage(Buffer.from(message.viewing), message.options);
      const png = await encodePng(prepared.image);
      const { image: _image, ...rest } = prepared;
      parentPort!.postMessage({
        id: message.id,
        png,
        ...rest,
        width: prepared.image.width,
        height: prepared.image.height,
      });
    } catch (error) {
      parentPort!.postMessage({
        id: message.id,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  },
);
