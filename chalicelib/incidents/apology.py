"""The apology (R1-R2): drafted from the playbook's template, edited by the team,
approved by someone other than its last editor, and posted in reply to the bad post."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC
from html import escape
from typing import Any

from chalicelib.accounts.domain import Account
from chalicelib.core.audit import Actor
from chalicelib.core.errors import (
    Forbidden,
    IllegalTransition,
    SelfApprovalForbidden,
    ValidationFailed,
)
from chalicelib.core.users import SENIOR_ROLES, User
from chalicelib.incidents.base import (
    APOLOGY_PREFIX,
    IA,
    IS,
    SYSTEM,
    IncidentUseCases,
)
from chalicelib.incidents.domain import (
    UPDATE_CADENCE,
    Apology,
    Decision,
    Incident,
    draft_apology,
    template_for,
)
from chalicelib.links.domain import (
    require_reason,
    require_seen_version,
)
from chalicelib.networks.social import (
    PostRejected,
    RemotePost,
)
from chalicelib.ports import MailFailed

logger = logging.getLogger(__name__)


class ApologyDesk(IncidentUseCases):
    def step_request_apology(self, incident: Incident, token: str) -> dict[str, Any]:
        """R1/R2: draft from a template in a senior's voice; a senior who is not its
        author approves it."""
        account = self._account(incident)
        what = self.store.published_as(account.id, incident.post.network_post_id) or ""
        source_post = (
            self.store.get_post(what.removeprefix("post ")) if what.startswith("post ") else None
        )
        author_is_agency = bool(source_post and source_post.author_is_agency)
        voice_id = incident.roles.spokesperson or incident.roles.commander
        voice = self.store.get_user(voice_id)
        template = template_for(incident.hack_confirmed, author_is_agency)
        apology = incident.apology or Apology(
            text=draft_apology(
                template,
                voice.name if voice else account.name,
                (incident.post.created_at or incident.opened_at).astimezone(UTC),
            ),
            template=template,
            voice=voice_id,
            author="system",
            mode="standalone" if incident.decision is Decision.DELETE else "reply",
        )
        after = (
            incident.move(IA.CONTAIN_DONE, apology=apology)
            if incident.status is IS.CONTAINING
            else replace(incident, apology=apology)
        )
        self.incidents.set_callback(incident.id, "apology", token, apology.version)
        stored = self._save(
            incident,
            after,
            self._entry(
                SYSTEM,
                "apology_drafted",
                f"apology drafted from the {template} template",
                text=apology.text,
            ),
        )
        self._ask_apology_approval(stored, account)
        return {"template": template}

    def _ask_apology_approval(self, incident: Incident, account: Account) -> None:
        from html import escape

        assert incident.apology is not None
        for person in self._seniors(account):
            if person.id == incident.apology.author:
                continue
            url = self._link(
                incident, person, "apology", incident.apology.version, ("approve", "reject")
            )
            self._mail(
                f"apology-mail#{incident.id}#v{incident.apology.version}#{person.id}",
                person,
                f"Approve the apology for {account.handle}?",
                f"{incident.apology.text}\n\nApprove or edit: {url}\n",
                f"<p>Incident {incident.id} on {escape(account.handle)}</p>"
                f"<blockquote>{escape(incident.apology.text)}</blockquote>"
                f'<p><a href="{escape(url)}">Approve or reject the apology</a></p>',
            )

    def step_publish_apology(self, incident: Incident) -> dict[str, Any]:
        """Publish the approved apology once: a reply when the post was kept, else standalone."""
        apology = incident.apology
        if apology is None or apology.approved_by is None:
            raise IllegalTransition("the apology is not approved")
        if apology.network_post_id:
            return {"network_post_id": apology.network_post_id}  # a retry after success
        account = self._account(incident)
        client = self.service.social.client_for(account)
        key = f"apology-publish#{incident.id}#v{apology.version}"
        # The claim is kept whatever happens: an attempt whose answer was lost (a
        # timeout) may have posted. Every later attempt looks on X first.
        remote = None
        if not self.store.claim_once(key, self.clock.now()):
            remote = self._own_apology_on_x(client, incident, apology)
        if remote is None:
            try:
                if apology.mode == "reply" and not incident.post_deleted:
                    remote = client.publish(apology.text, reply_to=incident.post.network_post_id)
                else:
                    remote = client.publish(apology.text)
            except PostRejected:
                # X refuses a text the account posted in the last day: a lost attempt
                # landed after we looked. Adopt it; anything else is a real refusal.
                remote = self._own_apology_on_x(client, incident, apology)
                if remote is None:
                    raise
        self.store.mark_published(account.id, remote.id, f"{APOLOGY_PREFIX}{incident.id}")
        now = self.clock.now()
        self._save(
            incident,
            incident.move(
                IA.APOLOGY_PUBLISHED,
                apology=replace(apology, network_post_id=remote.id),
                next_update_due=now + UPDATE_CADENCE[incident.severity],
            ),
            self._entry(
                SYSTEM,
                "apology_published",
                f"apology published as {apology.mode}",
                network_post_id=remote.id,
            ),
        )
        return {"network_post_id": remote.id}

    def _own_apology_on_x(
        self, client: Any, incident: Incident, apology: Apology
    ) -> RemotePost | None:
        """This incident's apology on the account's recent timeline, as X keeps it
        (links wrapped into t.co, & < > escaped), or None. A post with the same words
        that Firebreak recorded as something else (another incident's apology) is not
        it, nor, for a reply, a post that does not reply to this incident's post."""
        from chalicelib.networks.social import is_our_post

        ours = f"{APOLOGY_PREFIX}{incident.id}"
        replying = apology.mode == "reply" and not incident.post_deleted
        for post in client.timeline():
            if not is_our_post(post, apology.text):
                continue
            recorded = self.store.published_as(incident.account_id, post.id)
            if recorded and recorded != ours:
                continue
            if replying and not any(
                ref.get("type") == "replied_to" and ref.get("id") == incident.post.network_post_id
                for ref in post.raw.get("referenced_tweets") or ()
            ):
                continue
            found: RemotePost = post
            return found
        return None

    def edit_apology(self, actor: Actor, incident_id: str, text: str) -> Incident:
        assert actor.user is not None
        incident = self.for_user(actor.user, incident_id)
        if incident.status is not IS.APOLOGISING or incident.apology is None:
            raise IllegalTransition(f"incident is {incident.status.value}: no apology to edit")
        if incident.apology.approved_by:
            raise IllegalTransition("the apology is approved and being published")
        speakers = {incident.roles.spokesperson, incident.apology.voice}
        if not self.may_decide(incident, actor.user) and actor.user.id not in speakers:
            raise Forbidden("only the incident's commander, approvers or spokesperson edit it")
        if not text.strip():
            raise ValidationFailed("must not be empty", field="text")
        from chalicelib.core.normalise import text_problem

        problem = text_problem(text)
        if problem:
            raise ValidationFailed(problem, field="text")
        account = self.store.get_account(incident.account_id)
        if account is not None:
            too_long = self.service.social.text_rules(account).problem(text)
            if too_long:
                raise ValidationFailed(too_long, field="text")
        apology = replace(
            incident.apology,
            text=text.strip(),
            author=actor.id,
            version=incident.apology.version + 1,
            approved_by=None,
            rejected_by=None,
            rejection_reason=None,
        )
        stored = self._save(
            incident,
            replace(incident, apology=apology),
            self._entry(
                actor, "apology_edited", "apology edited: needs approval again", text=apology.text
            ),
        )
        self._ask_apology_approval(stored, self._account(stored))
        return stored

    def approve_apology(
        self, actor: Actor, incident_id: str, *, seen_version: int | None = None
    ) -> Incident:
        """``seen_version``: the apology version the approver read (a link's, or the
        API's ``?version=``); an edit since refuses the approval."""
        assert actor.user is not None
        incident = self.for_user(actor.user, incident_id)
        apology = self.approvable(incident, actor.user)
        require_seen_version("apology", seen_version, apology.version, apology.text)
        self.require_own_words(incident, apology)
        stored = self._save(
            incident,
            replace(incident, apology=replace(apology, approved_by=actor.id)),
            self._entry(actor, "apology_approved", "apology approved", version=apology.version),
        )
        self._resume(stored, "apology", {"apology": "approved", "by": actor.id})
        return stored

    def reject_apology(
        self, actor: Actor, incident_id: str, reason: str, *, seen_version: int | None = None
    ) -> Incident:
        """A senior sends this version back with a reason: it cannot be approved until
        someone edits it, and the people who may edit it are told why (once each)."""
        assert actor.user is not None
        incident = self.for_user(actor.user, incident_id)
        apology = self.rejectable(incident, actor.user, reason)
        require_seen_version("apology", seen_version, apology.version, apology.text)
        rejected = replace(apology, rejected_by=actor.id, rejection_reason=reason.strip())
        stored = self._save(
            incident,
            replace(incident, apology=rejected),
            self._entry(
                actor,
                "apology_rejected",
                "apology sent back for editing",
                version=apology.version,
                reason=rejected.rejection_reason,
            ),
        )
        self._tell_apology_editors(stored, actor.user)
        return stored

    @staticmethod
    def approvable(incident: Incident, user: User) -> Apology:
        apology = incident.apology
        if incident.status is not IS.APOLOGISING or apology is None:
            raise IllegalTransition(f"incident is {incident.status.value}: no apology to approve")
        if user.role not in SENIOR_ROLES:
            raise Forbidden("an apology is approved by a brand owner or an admin")
        if user.id == apology.author:
            raise SelfApprovalForbidden("the apology's author cannot approve it")
        if apology.rejected_by:
            raise IllegalTransition("the apology was sent back for editing: edit it first")
        return apology

    def require_own_words(self, incident: Incident, apology: Apology) -> None:
        """An apology word for word like another incident's published one (two posts of
        one moment, one template) is refused before approval, so that a person makes it
        this incident's own: X refuses a text the account already posted, and on every
        network the two could not be told apart when a lost answer is looked for."""
        from chalicelib.networks.social import same_text

        for other in self.incidents.of_account(incident.account_id):
            theirs = other.apology
            if other.id == incident.id or theirs is None or not theirs.network_post_id:
                continue
            if same_text(theirs.text, apology.text):
                raise IllegalTransition(
                    f"this apology repeats incident {other.id}'s published one word for word, "
                    "and a repeated apology reads as a form letter (X refuses it outright): "
                    "edit it to speak to this post first"
                )

    @staticmethod
    def rejectable(incident: Incident, user: User, reason: str) -> Apology:
        apology = incident.apology
        if incident.status is not IS.APOLOGISING or apology is None:
            raise IllegalTransition(f"incident is {incident.status.value}: no apology to reject")
        if user.role not in SENIOR_ROLES:
            raise Forbidden("an apology is sent back by a brand owner or an admin")
        if apology.approved_by:
            raise IllegalTransition("the apology is approved and being published")
        if apology.rejected_by:
            raise IllegalTransition("the apology was already sent back for editing")
        require_reason("reject", reason)
        return apology

    def _tell_apology_editors(self, incident: Incident, rejecter: User) -> None:
        apology = incident.apology
        assert apology is not None and apology.rejection_reason is not None
        account = self._account(incident)
        # Everyone edit_apology lets edit it, once each, never the person who sent it back.
        editors = [
            incident.roles.commander,
            incident.roles.spokesperson,
            apology.voice,
            apology.author,
        ]
        for user_id in dict.fromkeys(e for e in editors if e and e != rejecter.id):
            person = self.store.get_user(user_id)
            if person is None:
                continue  # "system" drafted it, or the person has left
            try:
                self._mail(
                    f"apology-rejected#{incident.id}#v{apology.version}#{person.id}",
                    person,
                    f"Apology for {account.handle} sent back for editing",
                    f"{rejecter.name} sent the apology back: {apology.rejection_reason}\n\n"
                    f"{apology.text}\n\nEdit it with PUT /incidents/{incident.id}/apology; "
                    "it then goes to the seniors for approval again.\n",
                    f"<p>{escape(rejecter.name)} sent the apology for "
                    f"{escape(account.handle)} back: {escape(apology.rejection_reason)}</p>"
                    f"<blockquote>{escape(apology.text)}</blockquote>"
                    f"<p>Edit it (incident {escape(incident.id)}); it then goes to the seniors "
                    "for approval again.</p>",
                )
            except MailFailed:
                # The rejection stands and is on the timeline; the others still hear of it.
                logger.exception("apology sent-back mail for %s to %s failed", incident.id, user_id)
