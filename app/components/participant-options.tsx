/** The <option>s of a participant picker, with a "choose" prompt first. */
export function ParticipantOptions({
  people,
  prompt,
}: {
  people: { id: number; label: string }[];
  prompt: string;
}) {
  return (
    <>
      <option value="">{prompt}</option>
      {people.map((p) => (
        <option key={p.id} value={p.id}>
          {p.label}
        </option>
      ))}
    </>
  );
}
