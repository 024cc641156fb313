import sharp from "sharp";

/** The viewing image the app derives from an upload (upright, long side ≤ 2000 px). */
export async function viewingImage(bytes: Buffer) {
  return sharp(bytes)
    .autoOrient()
    .resize(2000, 2000, { fit: "inside", withoutEnlargement: true })
    .jpeg({ quality: 88 })
    .toBuffer();
}

/** A JPEG stored sideways with an EXIF orientation tag saying so, as phones write them. */
export async function sidewaysWithExif(bytes: Buffer) {
  // Turn the pixels 90° counter-clockwise, then say "rotate 90° clockwise to display" (6).
  return sharp(bytes).rotate(270).withMetadata({ orientation: 6 }).jpeg({ quality: 85 }).toBuffer();
}
