import { describe, expect, it } from "vitest";
import {
  getReferralChain,
  ParticipantSchema,
  updateParticipant,
} from "~/models/participants.server";
import { DomainError, parseForm } from "~/utils/forms.server";
import { makeCohort, makeParticipant, participantInput, system } from "../helpers/factories";

describe("participants", () => {
  it("keeps the referral chain", async () => {
    const cohortId = await makeCohort();
    const a = await makeParticipant(cohortId, { penName: "あ" });
    const b = await makeParticipant(cohortId, {
      penName: "い",
      referralType: "participant",
      referredByParticipantId: a,
    });
    const c = await makeParticipant(cohortId, {
      penName: "う",
      referralType: "participant",
      referredByParticipantId: b,
    });
    expect((await getReferralChain(c)).up.map((p) => p.penName)).toEqual(["い", "あ"]);
    expect((await getReferralChain(a)).invited.map((p) => p.penName)).toEqual(["い"]);
    // Making あ referred by う would close a loop.
    await expect(
      updateParticipant(
        a,
        participantInput(cohortId, { referralType: "participant", referredByParticipantId: c }),
        system,
      ),
    ).rejects.toBeInstanceOf(DomainError);
  });

  it("explains bad form input in Japanese catalogue keys", () => {
    const form = new FormData();
    form.set("cohortId", "1");
    form.set("realName", "");
    form.set("penName", "ペン");
    form.set("ageBand", "20s");
    form.set("referralType", "participant");
    form.set("consentReadingOn", "2026/04/01");
    const result = parseForm(ParticipantSchema, form);
    expect(result.errors).toMatchObject({
      realName: "error.required",
      consentReadingOn: "error.date",
      referredByParticipantId: "error.referrerRequired",
    });
  });
});
