/**
 * QR codes drawn on the server as SVG: sharp at any print resolution, and the library stays out of
 * the browser build (it is imported inside the function, and only from loaders and actions).
 */
export async function qrSvg(text: string): Promise<string> {
  const { default: QRCode } = await import("qrcode");
  return QRCode.toString(text, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
}
