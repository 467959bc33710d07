// The editorial calendar: FullCalendar month and week views of one account's posts,
// in the account's time zone, with drag-to-reschedule through the same page route
// the post page's date field posts to.
"use strict";
(function () {
  function say(id, text) {
    var node = document.getElementById(id);
    if (node) { node.textContent = text || ""; }
  }

  // With a named time zone and no time zone plugin, FullCalendar keeps wall times:
  // the first 16 characters of startStr are the new time in the account's zone.
  function wallTime(event) {
    return event.startStr.slice(0, 16);
  }

  function reschedule(config, calendar, info) {
    var url = config.reschedule.replace("POST_ID", encodeURIComponent(info.event.id));
    say("calendar-error", "");
    say("calendar-status", "Rescheduling…");
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Accept": "application/json",
        "Content-Type": "application/x-www-form-urlencoded",
        "X-CSRF-Token": Firebreak.csrfToken(),
      },
      body: new URLSearchParams({ scheduled_at: wallTime(info.event) }).toString(),
    }).then(function (response) {
      return response.json().catch(function () {
        return { ok: false, message: "Firebreak refused the change (" + response.status + "); nothing was changed." };
      }).then(function (answer) {
        if (!response.ok || !answer.ok) {
          info.revert();
          say("calendar-status", "");
          say("calendar-error", answer.message || "Not rescheduled.");
          return;
        }
        say("calendar-status", answer.message);
        calendar.refetchEvents();
      });
    }).catch(function () {
      info.revert();
      say("calendar-status", "");
      say("calendar-error", "Firebreak could not be reached; nothing was changed.");
    });
  }

  // FullCalendar's chevrons are role="img" without a name; their buttons are named by
  // their titles ("Previous Month"), so the icons are hidden from assistive tech.
  function quietIcons(node) {
    node.querySelectorAll('.fc-icon[role="img"]').forEach(function (icon) {
      icon.setAttribute("aria-hidden", "true");
    });
  }

  Firebreak.on("calendar", function (node) {
    var config = Firebreak.data("calendar-data");
    var calendar = new FullCalendar.Calendar(node, {
      initialView: "dayGridMonth",
      initialDate: config.today,
      now: config.now,
      timeZone: config.timezone,
      firstDay: 1,
      height: "auto",
      headerToolbar: { left: "prev,next today", center: "title", right: "dayGridMonth,timeGridWeek" },
      buttonText: { today: "Today", month: "Month", week: "Week" },
      buttonHints: { prev: "Previous $0", next: "Next $0", today: "This $0" },
      eventDisplay: "block",
      eventTimeFormat: { hour: "2-digit", minute: "2-digit", hour12: false },
      slotLabelFormat: { hour: "2-digit", minute: "2-digit", hour12: false },
      allDaySlot: false,
      nowIndicator: true,
      views: { timeGridWeek: { dayHeaderFormat: { weekday: "short", day: "numeric", month: "short" } } },
      editable: false,
      eventDurationEditable: false,
      events: {
        url: config.events,
        extraParams: { account: config.account },
        failure: function () { say("calendar-error", "The posts could not be loaded; reload the page to try again."); },
      },
      eventDrop: function (info) { reschedule(config, calendar, info); },
      datesSet: function () { quietIcons(node); },
      // A day cell is named by its date link alone, not by the posts inside it.
      dayCellDidMount: function (info) { info.el.removeAttribute("aria-labelledby"); },
    });
    calendar.render();
  });
})();
