/* Vietnamese dates: every input marked data-date (core.forms.DateInput / DateTimeInput) gets a
   calendar (flatpickr, vendored) opened by a button beside it (typing stays first and nothing covers
   the form), the chosen date in words below it, and a warning when it lies more than a year from today. The field stays a plain dd/mm/yyyy text field: typing works without the
   calendar, and the server reads the day first whatever the browser's language. */
(function () {
  "use strict";
  var VI_WEEKDAYS = ["Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"];
  var CALENDAR_ICON = '<svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">' +
    '<rect x="1.5" y="2.5" width="13" height="12" rx="1.5" fill="none" stroke="currentColor"/>' +
    '<path d="M1.5 6h13M5 1v3M11 1v3" stroke="currentColor"/>' +
    '<path d="M4 8.5h2v2H4zM7 8.5h2v2H7zM10 8.5h2v2h-2z" fill="currentColor"/></svg>';
  var pad = function (n) { return (n < 10 ? "0" : "") + n; };

  // dd/mm/yyyy, ddmmyyyy, dd-mm-yyyy, dd.mm.yyyy or yyyy-mm-dd, with an optional hh:mm.
  function parse(text) {
    var s = (text || "").trim(), m, time = [0, 0];
    var t = /[ T](\d{1,2}):(\d{2})$/.exec(s);
    if (t) { time = [+t[1], +t[2]]; s = s.slice(0, t.index); }
    if ((m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s))) { m = [m[3], m[2], m[1]]; }
    else if ((m = /^(\d{1,2})[\/.\-](\d{1,2})[\/.\-](\d{4})$/.exec(s))) { m = [m[1], m[2], m[3]]; }
    else if ((m = /^(\d{2})(\d{2})(\d{4})$/.exec(s))) { m = [m[1], m[2], m[3]]; }
    else { return null; }
    var d = new Date(+m[2] > 0 ? +m[2] : 0, 0, 1);
    d.setFullYear(+m[2], +m[1] - 1, +m[0]);
    d.setHours(time[0], time[1]);
    var valid = d.getDate() === +m[0] && d.getMonth() === +m[1] - 1 && time[0] < 24 && time[1] < 60;
    return valid ? d : null;
  }

  function words(d, lang) {
    if (lang.indexOf("vi") === 0) {
      // HD 36-HD/VPTW writes days 1-9 and months 1-2 with a leading zero.
      var month = d.getMonth() < 2 ? pad(d.getMonth() + 1) : String(d.getMonth() + 1);
      return VI_WEEKDAYS[d.getDay()] + ", ngày " + pad(d.getDate()) + " tháng " + month + " năm " + d.getFullYear();
    }
    return d.toLocaleDateString("en-GB", { weekday: "long", day: "numeric", month: "long", year: "numeric" });
  }

  function echo(input, lang) {
    var note = input.parentElement.querySelector(".date-words");
    if (!note) {
      note = document.createElement("small");
      note.className = "date-words";
      note.setAttribute("aria-live", "polite");
      var after = input.nextElementSibling && input.nextElementSibling.classList.contains("date-button")
        ? input.nextElementSibling : input;
      after.insertAdjacentElement("afterend", note);
    }
    var d = parse(input.value);
    note.classList.remove("warning");
    if (!d) { note.textContent = ""; return; }
    var text = words(d, lang);
    var today = parse(input.dataset.today);
    if (today && Math.abs(d - today) > 366 * 86400000) {
      text += " — " + input.dataset.farWarning;
      note.classList.add("warning");
    }
    note.textContent = text;
  }

  function enhance(root) {
    var lang = document.documentElement.lang || "vi";
    root.querySelectorAll("input[data-date]:not([data-enhanced])").forEach(function (input) {
      input.setAttribute("data-enhanced", "");
      var withTime = input.dataset.date === "datetime";
      if (window.flatpickr) {
        var picker = window.flatpickr(input, {
          locale: lang.indexOf("vi") === 0 && window.flatpickr.l10ns.vn ? "vn" : "default",
          allowInput: true,
          clickOpens: false,
          enableTime: withTime,
          time_24hr: true,
          dateFormat: withTime ? "d/m/Y H:i" : "d/m/Y",
          minDate: input.dataset.min, maxDate: input.dataset.max,
          parseDate: function (text) { return parse(text) || undefined; },
          onChange: function () { echo(input, lang); },
        });
        // A span with the button role, not a <button>: inside a form it must never be taken for the
        // form's own buttons (by Enter in a field, or by anything looking for "form button").
        var button = document.createElement("span");
        button.setAttribute("role", "button");
        button.tabIndex = 0;
        button.className = "date-button button";
        button.innerHTML = CALENDAR_ICON;
        button.setAttribute("aria-label", input.dataset.calendarLabel);
        button.title = input.dataset.calendarLabel;
        // The calendar closes itself on any press outside it, this button's included: a press while it
        // was open only closes it.
        var wasOpen = false;
        button.addEventListener("mousedown", function () { wasOpen = picker.isOpen; });
        button.addEventListener("click", function () {
          if (wasOpen) { picker.close(); } else { picker.open(); }
          wasOpen = false;
        });
        button.addEventListener("keydown", function (event) {
          if (event.key === "Enter" || event.key === " ") { event.preventDefault(); picker.toggle(); }
        });
        input.insertAdjacentElement("afterend", button);
      }
      input.addEventListener("input", function () { echo(input, lang); });
      input.addEventListener("change", function () { echo(input, lang); });
      echo(input, lang);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:afterSettle", function (event) { enhance(event.target); });
})();
