/**
 * Turns tesseract's integer ("fast") LSTM model back into a float model that `lstmtraining` can
 * continue from.
 *
 * The only Japanese models we can bring onto this machine are the 8-bit ones in
 * `@tesseract.js-data/jpn` and Debian's `tesseract-ocr-jpn` (the float "best" files are larger
 * than the repository snapshots we may fetch), and `lstmtraining --continue_from` refuses an
 * integer model. Each integer weight row was made from a float row as
 * `round(w / (max|w| / 127))` with the factor `max|w| / 127` stored beside it, so `w ≈ i × factor`:
 * the float model we write recognises exactly as the integer one did, and fine-tuning starts from
 * it.
 *
 * The format is tesseract's own serialisation of an `LSTMRecognizer` (the `lstm` component of a
 * `.traineddata`, as `combine_tessdata -e` extracts it), read layer by layer
 * (src/lstm/network.cpp `CreateFromFile`, weightmatrix.cpp `Serialize`). Everything but the weight
 * matrices is copied byte for byte; the recognizer's `TF_INT_MODE` flag is cleared at the end.
 *
 * Usage: npx tsx test/hand-model/int-to-float.ts <in.traineddata|in.lstm> <out.lstm>
 */
import fs from "node:fs";

const INT8_FLAG = 1;
const DOUBLE_FLAG = 128;
const TF_INT_MODE = 1;

const TYPE_NAMES = [
  "Invalid",
  "Input",
  "Convolve",
  "Maxpool",
  "Parallel",
  "Replicated",
  "ParBidiLSTM",
  "DepParUDLSTM",
  "Par2dLSTM",
  "Series",
  "Reconfig",
  "RTLReversed",
  "TTBReversed",
  "XYTranspose",
  "LSTM",
  "SummLSTM",
  "Logistic",
  "LinLogistic",
  "LinTanh",
  "Tanh",
  "Relu",
  "Linear",
  "Softmax",
  "SoftmaxNoCTC",
  "LSTMSoftmax",
  "LSTMBinarySoftmax",
  "TensorFlow",
] as const;
type TypeName = (typeof TYPE_NAMES)[number];

const PLUMBING = new Set<TypeName>([
  "Parallel",
  "Replicated",
  "ParBidiLSTM",
  "DepParUDLSTM",
  "Par2dLSTM",
  "Series",
  "RTLReversed",
  "TTBReversed",
  "XYTranspose",
]);
const FULLY_CONNECTED = new Set<TypeName>([
  "Softmax",
  "SoftmaxNoCTC",
  "Relu",
  "Tanh",
  "Linear",
  "Logistic",
  "LinLogistic",
  "LinTanh",
]);
const LSTM_TYPES = new Set<TypeName>(["LSTM", "SummLSTM", "LSTMSoftmax", "LSTMBinarySoftmax"]);
/** Gate matrices of an LSTM layer: CI, GI, GF1, GO, and GFS for two-dimensional ones. */
const GATES_1D = 4;
const NF_LAYER_SPECIFIC_LR = 64;

class Reader {
  offset = 0;
  readonly buf: Buffer;
  constructor(buf: Buffer) {
    this.buf = buf;
  }
  int8(): number {
    return this.buf.readInt8(this.offset++);
  }
  uint8(): number {
    return this.buf.readUInt8(this.offset++);
  }
  int32(): number {
    const v = this.buf.readInt32LE(this.offset);
    this.offset += 4;
    return v;
  }
  uint32(): number {
    const v = this.buf.readUInt32LE(this.offset);
    this.offset += 4;
    return v;
  }
  double(): number {
    const v = this.buf.readDoubleLE(this.offset);
    this.offset += 8;
    return v;
  }
  string(): string {
    const length = this.uint32();
    const s = this.buf.toString("latin1", this.offset, this.offset + length);
    this.offset += length;
    return s;
  }
  bytes(from: number): Buffer {
    return this.buf.subarray(from, this.offset);
  }
}

/** Tesseract's component number of the LSTM model in a `.traineddata` (TESSDATA_LSTM). */
export const LSTM_COMPONENT = 17;

/**
 * One component of a `.traineddata` container: an int32 count, that many int64 offsets (-1 for
 * an absent component), then the components back to back.
 */
export function extractComponent(traineddata: Buffer, component: number): Buffer {
  const count = traineddata.readInt32LE(0);
  if (component >= count) throw new Error(`no component ${component}`);
  const offsets = Array.from({ length: count }, (_, i) =>
    Number(traineddata.readBigInt64LE(4 + 8 * i)),
  );
  const start = offsets[component]!;
  if (start < 0) throw new Error(`component ${component} is absent`);
  const end = offsets.slice(component + 1).find((o) => o >= 0) ?? traineddata.length;
  return traineddata.subarray(start, end);
}

export interface MatrixInfo {
  rows: number;
  cols: number;
  /** Where the int8 weights start in the input, and the doubles in the output. */
  intOffset: number;
  floatOffset: number;
  scales: number[];
}

export interface ConvertStats {
  layers: string[];
  matrices: MatrixInfo[];
  weights: number;
}

/** Converts a serialized integer LSTMRecognizer to a float one. */
export function intToFloat(input: Buffer): { output: Buffer; stats: ConvertStats } {
  const r = new Reader(input);
  const out: Buffer[] = [];
  const stats: ConvertStats = { layers: [], matrices: [], weights: 0 };
  let written = 0;
  let copiedUpTo = 0;
  const push = (chunk: Buffer) => {
    out.push(chunk);
    written += chunk.length;
  };
  const copy = () => {
    push(input.subarray(copiedUpTo, r.offset));
    copiedUpTo = r.offset;
  };

  /** Reads one weight matrix, writes it as doubles; returns its row count. */
  function weightMatrix(): number {
    copy();
    const mode = r.uint8();
    if ((mode & DOUBLE_FLAG) === 0) throw new Error("old weight-matrix format is not supported");
    if ((mode & INT8_FLAG) === 0) throw new Error("the model is already a float model");
    const dim1 = r.int32();
    const dim2 = r.int32();
    r.int8(); // empty_
    const intOffset = r.offset;
    const ints = new Int8Array(input.buffer, input.byteOffset + r.offset, dim1 * dim2);
    r.offset += dim1 * dim2;
    const scaleCount = r.uint32();
    if (scaleCount < dim1) throw new Error(`scales ${scaleCount} < rows ${dim1}`);
    const scales: number[] = [];
    for (let i = 0; i < scaleCount; i++) scales.push(r.double());
    copiedUpTo = r.offset;

    const block = Buffer.alloc(1 + 8 + 8 + 8 * dim1 * dim2);
    let o = 0;
    block.writeUInt8((mode & ~INT8_FLAG) | DOUBLE_FLAG, o);
    o += 1;
    block.writeUInt32LE(dim1, o);
    block.writeUInt32LE(dim2, o + 4);
    o += 8;
    block.writeDoubleLE(0, o);
    o += 8;
    for (let row = 0; row < dim1; row++) {
      const factor = scales[row]!;
      for (let col = 0; col < dim2; col++) {
        block.writeDoubleLE(ints[row * dim2 + col]! * factor, o);
        o += 8;
      }
    }
    stats.matrices.push({ rows: dim1, cols: dim2, intOffset, floatOffset: written + 17, scales });
    push(block);
    stats.weights += dim1 * dim2;
    return dim1;
  }

  function network(depth: number): void {
    let type: TypeName;
    const tag = r.int8();
    if (tag === 0) {
      const name = r.string();
      if (!(TYPE_NAMES as readonly string[]).includes(name)) throw new Error(`layer type ${name}`);
      type = name as TypeName;
    } else {
      type = TYPE_NAMES[tag]!;
    }
    r.int8(); // training state
    r.int8(); // needs_to_backprop
    const flags = r.int32();
    const ni = r.int32();
    const no = r.int32();
    r.int32(); // num_weights
    const name = r.string();
    stats.layers.push(`${"  ".repeat(depth)}${type} ${name} ni=${ni} no=${no}`);

    if (type === "Input") {
      for (let i = 0; i < 5; i++) r.int32();
    } else if (type === "Convolve" || type === "Maxpool" || type === "Reconfig") {
      r.int32();
      r.int32();
    } else if (PLUMBING.has(type)) {
      const size = r.uint32();
      for (let i = 0; i < size; i++) network(depth + 1);
      if (flags & NF_LAYER_SPECIFIC_LR) {
        const n = r.uint32();
        r.offset += 4 * n;
      }
    } else if (FULLY_CONNECTED.has(type)) {
      weightMatrix();
    } else if (LSTM_TYPES.has(type)) {
      const na = r.int32();
      // The first gate's row count (the cell count) tells whether the LSTM is two-dimensional,
      // in which case a fifth gate follows.
      const ns = weightMatrix();
      const nf =
        type === "LSTMSoftmax" ? no : type === "LSTMBinarySoftmax" ? Math.ceil(Math.log2(no)) : 0;
      const is2d = na - nf === ni + 2 * ns;
      for (let g = 1; g < GATES_1D + (is2d ? 1 : 0); g++) weightMatrix();
      if (type === "LSTMSoftmax" || type === "LSTMBinarySoftmax") network(depth + 1);
    } else {
      throw new Error(`unsupported layer type ${type}`);
    }
  }

  network(0);
  // Recognizer tail: network spec, training flags, iterations, null char, adam beta, rates.
  r.string();
  copy();
  const flags = r.int32();
  push(Buffer.from(new Int32Array([flags & ~TF_INT_MODE]).buffer));
  copiedUpTo = r.offset;
  r.offset = input.length;
  copy();
  return { output: Buffer.concat(out), stats };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [from, to] = process.argv.slice(2);
  if (!from || !to) {
    console.error("usage: int-to-float.ts <in.lstm> <out.lstm>");
    process.exit(2);
  }
  const data = fs.readFileSync(from);
  const lstm = from.endsWith(".traineddata") ? extractComponent(data, LSTM_COMPONENT) : data;
  const { output, stats } = intToFloat(lstm);
  fs.writeFileSync(to, output);
  console.log(stats.layers.join("\n"));
  console.log(
    `${stats.matrices.length} matrices, ${stats.weights} weights → ${to} (${output.length} bytes)`,
  );
}
