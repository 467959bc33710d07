"""SES adapter: ``SesMailer`` implements the ``Mailer`` port with the SES v2 API."""

from __future__ import annotations

from typing import Any

from chalicelib.ports import MailFailed


class SesMailer:
    def __init__(self, client: Any, sender: str) -> None:
        self._ses = client
        self._sender = sender

    def send(self, *, to: str, subject: str, text: str, html: str) -> str:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            res = self._ses.send_email(
                FromEmailAddress=self._sender,
                Destination={"ToAddresses": [to]},
                Content={
                    "Simple": {
                        "Subject": {"Data": subject, "Charset": "UTF-8"},
                        "Body": {
                            "Text": {"Data": text, "Charset": "UTF-8"},
                            "Html": {"Data": html, "Charset": "UTF-8"},
                        },
                    }
                },
            )
        except ClientError as exc:
            raise MailFailed(exc.response["Error"]["Code"]) from None
        except BotoCoreError as exc:
            raise MailFailed(type(exc).__name__) from None
        return str(res["MessageId"])
