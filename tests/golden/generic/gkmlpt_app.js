/* 政府信息公开目录管理平台 */
(function ($, CONFIG) {
  "use strict";
  var PAGE_SIZE = 20, current = { id: null, page: 1 };

  function renderTree(nodes, $ul) {
    $.each(nodes, function (i, node) {
      var $li = $('<li><a href="#' + node.id + '">' + node.name + "</a></li>").appendTo($ul);
      if (node.children && node.children.length) {
        renderTree(node.children, $("<ul></ul>").appendTo($li));
      }
    });
  }

  function loadList(catId, page) {
    return $.ajax({
      url: "/gkmlpt/api/all/" + catId,
      type: "GET",
      dataType: "json",
      data: { page: page, sid: CONFIG.SID }
    });
  }

  function renderList(res) {
    var rows = $.map(res.articles, function (a) {
      return '<li><a href="' + a.url + '" target="_blank">' + a.title + "</a><span>" +
        a.created_at.substring(0, 10) + "</span></li>";
    });
    $("#gkmlpt-list").html(rows.join("") || '<p class="empty">暂无信息</p>');
    $("#gkmlpt-pager").text(current.page + " / " + Math.max(1, Math.ceil(res.total / PAGE_SIZE)));
  }

  $(function () {
    renderTree(CONFIG.TREE, $('<ul class="gkmlpt-tree"></ul>').appendTo("#gkmlpt-app"));
    $(window).on("hashchange", function () {
      current = { id: location.hash.slice(1), page: 1 };
      loadList(current.id, current.page).done(renderList);
    });
  });
})(window.jQuery, window._CONFIG);
